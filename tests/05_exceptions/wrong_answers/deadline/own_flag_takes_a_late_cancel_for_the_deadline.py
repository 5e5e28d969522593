"""Wrong: a timer's flag takes a caller's cancel during the late cleanup for the deadline."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    task = asyncio.create_task(fetch())
    timed_out = False

    def expire() -> None:
        nonlocal timed_out
        timed_out = True
        task.cancel()

    handle = asyncio.get_running_loop().call_later(seconds, expire)
    try:
        return await task
    except asyncio.CancelledError:
        if timed_out:
            return fallback
        raise
    finally:
        handle.cancel()
        task.cancel()
