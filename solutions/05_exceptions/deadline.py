"""Give up after a deadline.

`fetch_with_deadline(fetch, seconds, fallback)` calls `fetch()` and returns its answer if it
arrives within `seconds`. If it has not arrived by then, give up at exactly `seconds` and
return `fallback`. If `fetch()` fails before the deadline, its error reaches the caller as
it is, not wrapped in an ExceptionGroup. (`fetch()` never raises TimeoutError itself here,
so a TimeoutError always means the deadline passed.)

Giving up means stopping the fetch, not just no longer waiting for it: by the time
`fetch_with_deadline` returns the fallback, the fetch has been cancelled and has finished
its own cleanup. Likewise, if the caller cancels `fetch_with_deadline`, the fetch is
cancelled with it.

Today it returns the fallback on time, but leaves the slow fetch running in the background.
"""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_with_deadline(
    fetch: Callable[[], Coroutine[Any, Any, str]], seconds: float, fallback: str
) -> str:
    """What `fetch()` returns within `seconds`, else `fallback` (with the fetch stopped)."""
    # asyncio.timeout cancels the fetch at the deadline and lets it unwind before TimeoutError.
    try:
        async with asyncio.timeout(seconds):
            return await fetch()
    except TimeoutError:
        return fallback
