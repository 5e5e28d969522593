"""Wrong: suppresses CancelledError while the fetch unwinds, swallowing a cancel aimed at itself."""

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    task = asyncio.create_task(fetch())
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    finally:
        task.cancel()
    if task in done:
        return task.result()
    with contextlib.suppress(asyncio.CancelledError):
        await task  # let the fetch finish unwinding
    return fallback
