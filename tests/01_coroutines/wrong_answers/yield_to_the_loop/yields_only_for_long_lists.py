"""Wrong: yields only when there are more than 10 items, so short lists run with no turn."""

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def process_all(items: list[T], step: Callable[[T], R]) -> list[R]:
    results: list[R] = []
    long_job = len(items) > 10
    for item in items:
        results.append(step(item))
        if long_job:
            await asyncio.sleep(0)
    return results
