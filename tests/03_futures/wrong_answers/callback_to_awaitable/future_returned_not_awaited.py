"""Wrong: returns the future itself instead of awaiting it, so callers get a Future, not text."""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    request(query, answer.set_result, answer.set_exception)
    return answer  # type: ignore[return-value]
