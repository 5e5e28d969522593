"""Wrong: uses time.sleep(0), which gives the CPU to other threads, not to other tasks."""

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def process_all(items: list[T], step: Callable[[T], R]) -> list[R]:
    """Apply `step` to every item in order, letting other tasks run between items."""
    results: list[R] = []
    for item in items:
        results.append(step(item))
        time.sleep(0)  # noqa: ASYNC251
    return results
