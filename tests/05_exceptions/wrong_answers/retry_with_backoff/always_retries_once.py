"""Wrong: makes sure the loop runs at least once, so attempts=1 still retries."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    """The result of `operation()`, retrying connection and timeout errors with backoff."""
    delay = 1.0
    for _ in range(max(attempts - 1, 1)):  # so that there is always a retry
        try:
            return await operation()
        except (ConnectionError, TimeoutError):
            await asyncio.sleep(delay)
            delay *= 2
    return await operation()
