"""Wrong: stops the fetch at the deadline, but not when fetch_with_deadline itself is cancelled."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    task = asyncio.create_task(fetch())
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    task.cancel()
    await asyncio.wait({task})
    return fallback
