"""Wrong: decides from the first failure alone whether failures are retried."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    delay = 1.0
    flaky = False
    for attempt in range(attempts):
        try:
            return await operation()
        except Exception as error:
            if not flaky:
                flaky = isinstance(error, (ConnectionError, TimeoutError))
            if not flaky or attempt == attempts - 1:
                raise
        await asyncio.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")
