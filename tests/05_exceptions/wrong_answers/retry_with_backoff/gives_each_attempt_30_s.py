"""Wrong: gives each attempt a guessed 30 s, so a slow success becomes a TimeoutError to retry."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    """The result of `operation()`, retrying connection and timeout errors with backoff."""
    delay = 1.0
    for _ in range(attempts - 1):
        try:
            # So that a hung service cannot stall us forever.
            return await asyncio.wait_for(operation(), 30)
        except (ConnectionError, TimeoutError):
            await asyncio.sleep(delay)
            delay *= 2
    return await asyncio.wait_for(operation(), 30)
