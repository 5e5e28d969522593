"""Wrong: hands on_error a callback that drops the error, so a failed ask waits forever."""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    request(query, answer.set_result, lambda error: print(f"request failed: {error}"))
    return await answer
