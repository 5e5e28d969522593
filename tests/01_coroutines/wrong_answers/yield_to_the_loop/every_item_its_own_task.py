"""Wrong: runs each step in its own task; they run back to back and all run even after a failure."""

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def process_all(items: list[T], step: Callable[[T], R]) -> list[R]:
    """Apply `step` to every item in order, letting other tasks run between items."""

    async def run_step(item: T) -> R:
        return step(item)

    return list(await asyncio.gather(*(run_step(item) for item in items)))
