"""Wrong: adds a "safety" timeout of its own, so a slow answer makes ask fail."""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    request(query, answer.set_result, answer.set_exception)
    return await asyncio.wait_for(answer, timeout=60)
