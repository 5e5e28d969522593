"""Wrong: keeps waiting for the answer when cancelled, so a caller's timeout can't stop it."""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    request(query, answer.set_result, answer.set_exception)
    try:
        return await asyncio.shield(answer)
    except asyncio.CancelledError:
        # Don't leave the service calling back into a cancelled future.
        return await answer
