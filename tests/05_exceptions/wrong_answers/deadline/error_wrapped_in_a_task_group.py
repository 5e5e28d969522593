"""Wrong: runs the fetch in a TaskGroup, so its error reaches the caller wrapped in a group."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    async with asyncio.TaskGroup() as group:
        task = group.create_task(fetch())
        done, _ = await asyncio.wait({task}, timeout=seconds)
        if not done:
            task.cancel()
    if task.cancelled():
        return fallback
    return task.result()
