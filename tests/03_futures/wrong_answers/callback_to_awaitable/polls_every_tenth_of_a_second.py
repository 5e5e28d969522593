"""Wrong: polls for the answer every 0.1 s instead of awaiting a future.

It wakes at a multiple of 0.1 s, so it notices an answer up to 0.1 s after it arrived.
"""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    outcome: list[str | Exception] = []
    request(query, outcome.append, outcome.append)
    while not outcome:  # noqa: ASYNC110 (the mistake on show)
        await asyncio.sleep(0.1)
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]
