"""Wrong: sleeps after every failure, the last one included, before raising its error."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    """The result of `operation()`, retrying connection and timeout errors with backoff."""
    last_error: Exception | None = None
    for attempt in range(attempts):
        try:
            return await operation()
        except (ConnectionError, TimeoutError) as error:
            last_error = error
            await asyncio.sleep(2**attempt)
    assert last_error is not None
    raise last_error
