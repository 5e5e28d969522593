"""Wrong: `except Exception` turns a failed fetch into the fallback as if it were slow."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    try:
        return await asyncio.wait_for(fetch(), timeout=seconds)
    except Exception:
        return fallback
