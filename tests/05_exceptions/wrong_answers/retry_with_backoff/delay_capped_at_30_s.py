"""Wrong: caps the wait between attempts at 30 s, so the doubling stops there."""

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
        except (ConnectionError, TimeoutError):
            # A ceiling, so that a long outage does not mean hour-long waits.
            await asyncio.sleep(min(delay, 30))
            delay *= 2
    return await operation()
