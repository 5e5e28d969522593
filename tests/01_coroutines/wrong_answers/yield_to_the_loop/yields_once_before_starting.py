"""Wrong: yields to the loop once before the work, then runs every item back to back."""

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def process_all(items: list[T], step: Callable[[T], R]) -> list[R]:
    """Apply `step` to every item in order, letting other tasks run between items."""
    await asyncio.sleep(0)
    return [step(item) for item in items]
