"""Wrong: yields only after every tenth item, so most items still run back to back."""

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def process_all(items: list[T], step: Callable[[T], R]) -> list[R]:
    """Apply `step` to every item in order, letting other tasks run between items."""
    results: list[R] = []
    for index, item in enumerate(items):
        results.append(step(item))
        if index % 10 == 9:
            await asyncio.sleep(0)
    return results
