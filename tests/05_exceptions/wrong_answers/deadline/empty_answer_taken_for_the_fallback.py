"""Wrong: `return result or fallback` turns an empty answer that came in time into the fallback."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    result = None
    try:
        async with asyncio.timeout(seconds):
            result = await fetch()
    except TimeoutError:
        pass
    return result or fallback
