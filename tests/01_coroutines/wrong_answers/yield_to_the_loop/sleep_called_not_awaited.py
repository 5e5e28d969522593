"""Wrong: calls asyncio.sleep(0) without awaiting it, which only builds a coroutine."""

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def process_all(items: list[T], step: Callable[[T], R]) -> list[R]:
    """Apply `step` to every item in order, letting other tasks run between items."""
    results: list[R] = []
    for item in items:
        results.append(step(item))
        asyncio.sleep(0)
    return results
