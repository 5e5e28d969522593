"""Wrong: gives the name lookup a guessed 10 s timeout, so a slow lookup raises TimeoutError."""

import asyncio
from collections.abc import Awaitable, Callable


async def greet(
    user_id: int,
    fetch_name: Callable[[int], Awaitable[str]],
    record_visit: Callable[[int], Awaitable[None]],
) -> str:
    name = await asyncio.wait_for(fetch_name(user_id), timeout=10)
    await record_visit(user_id)
    return f"Hello, {name}!"
