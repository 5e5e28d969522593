"""Wrong: cancels the fetch in a finally and yields twice instead of waiting for it to unwind."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    task = asyncio.create_task(fetch())
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
        if task in done:
            return task.result()
        return fallback
    finally:
        task.cancel()
        # A pass or two of the loop, hoping the fetch has unwound by then.
        await asyncio.sleep(0)
        await asyncio.sleep(0)
