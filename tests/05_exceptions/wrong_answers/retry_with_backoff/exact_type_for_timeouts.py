"""Wrong: tests `type(error) is TimeoutError`, so a subclass of TimeoutError is not retried."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    delay = 1.0
    for attempt in range(attempts):
        try:
            return await operation()
        except Exception as error:
            retryable = isinstance(error, ConnectionError) or type(error) is TimeoutError
            if not retryable or attempt == attempts - 1:
                raise
        await asyncio.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")
