"""Wrong: raises a new error of the last error's type and message instead of that error."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    """The result of `operation()`, retrying connection and timeout errors with backoff."""
    delay = 1.0
    for attempt in range(1, attempts + 1):
        try:
            return await operation()
        except (ConnectionError, TimeoutError) as error:
            if attempt == attempts:
                raise type(error)(*error.args) from None
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable: attempts is at least 1")
