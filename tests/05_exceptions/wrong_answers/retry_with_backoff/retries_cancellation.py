"""Wrong: treats a cancelled attempt like a timed-out one and retries it."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    """The result of `operation()`, retrying connection and timeout errors with backoff."""
    delay = 1.0
    for _ in range(attempts - 1):
        try:
            return await operation()
        except (ConnectionError, TimeoutError, asyncio.CancelledError):
            await asyncio.sleep(delay)
            delay *= 2
    return await operation()
