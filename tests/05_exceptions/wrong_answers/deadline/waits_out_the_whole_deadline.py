"""Wrong: sleeps the full deadline before looking, so even a fast answer waits until then."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    task = asyncio.create_task(fetch())
    try:
        await asyncio.sleep(seconds)
    finally:
        if not task.done():
            task.cancel()
            await asyncio.wait({task})
    if task.cancelled():
        return fallback
    return task.result()
