"""Wrong: stores the answer in a variable and polls for it, so it wakes up late."""

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
        await asyncio.sleep(0.2)
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]
