"""Wrong: loops `while result is None`, so a success that returns None is made again and again."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    result = None
    failures = 0
    while result is None:
        try:
            result = await operation()
        except (ConnectionError, TimeoutError):
            failures += 1
            if failures == attempts:
                raise
            await asyncio.sleep(2 ** (failures - 1))
    return result
