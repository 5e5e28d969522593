"""Wrong: caps the deadline at a guessed 60 s, so a longer one gives up too soon."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    try:
        # Nobody should wait more than a minute for a quote.
        async with asyncio.timeout(min(seconds, 60)):
            return await fetch()
    except TimeoutError:
        return fallback
