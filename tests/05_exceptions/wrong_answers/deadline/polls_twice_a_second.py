"""Wrong: checks on the fetch every half second, so it answers and gives up late."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    task = asyncio.create_task(fetch())
    waited = 0.0
    try:
        while not task.done() and waited < seconds:
            await asyncio.sleep(0.5)
            waited += 0.5
    finally:
        if not task.done():
            task.cancel()
            await asyncio.wait({task})
    if task.cancelled():
        return fallback
    return task.result()
