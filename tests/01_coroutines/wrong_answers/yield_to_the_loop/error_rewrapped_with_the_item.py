"""Wrong: raises a new ValueError naming the item's position instead of step's own error."""

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def process_all(items: list[T], step: Callable[[T], R]) -> list[R]:
    """Apply `step` to every item in order, letting other tasks run between items."""
    results: list[R] = []
    for index, item in enumerate(items):
        try:
            results.append(step(item))
        except ValueError as error:
            raise ValueError(f"item #{index}: {error}") from error
        await asyncio.sleep(0)
    return results
