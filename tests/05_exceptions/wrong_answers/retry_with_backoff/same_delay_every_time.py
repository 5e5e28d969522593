"""Wrong: waits 1 second before every retry instead of doubling the wait each time."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    """The result of `operation()`, retrying connection and timeout errors with backoff."""
    for _ in range(attempts - 1):
        try:
            return await operation()
        except (ConnectionError, TimeoutError):
            await asyncio.sleep(1)
    return await operation()
