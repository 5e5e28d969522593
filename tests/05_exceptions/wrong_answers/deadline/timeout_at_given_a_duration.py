"""Wrong: passes `seconds` to asyncio.timeout_at, a point on the loop's clock, not a duration."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    try:
        async with asyncio.timeout_at(seconds):
            return await fetch()
    except TimeoutError:
        return fallback
