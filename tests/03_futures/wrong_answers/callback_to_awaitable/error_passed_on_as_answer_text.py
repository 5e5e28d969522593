"""Wrong: turns the service's error into answer text, then raises a new error made from it."""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    request(query, future.set_result, lambda error: future.set_result(f"error: {error}"))
    answer = await future
    if answer.startswith("error: "):
        raise LookupError(answer.removeprefix("error: "))
    return answer
