"""Wrong: `if result: return result`, so a success with a falsy result (0, "", None) is retried."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    delay = 1
    result = None
    for attempt in range(attempts):
        try:
            result = await operation()
            if result:
                return result
        except (ConnectionError, TimeoutError):
            if attempt == attempts - 1:
                raise
        if attempt < attempts - 1:
            await asyncio.sleep(delay)
            delay *= 2
    return result  # type: ignore[return-value]
