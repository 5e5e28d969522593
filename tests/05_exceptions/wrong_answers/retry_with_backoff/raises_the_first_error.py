"""Wrong: when every attempt fails, raises the first attempt's error instead of the last's."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    """The result of `operation()`, retrying connection and timeout errors with backoff."""
    first_error: Exception | None = None
    delay = 1.0
    for attempt in range(1, attempts + 1):
        try:
            return await operation()
        except (ConnectionError, TimeoutError) as error:
            first_error = first_error or error
            if attempt == attempts:
                raise first_error from error
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("attempts must be at least 1")
