"""Wrong: tries to run each coroutine with asyncio.run, which refuses inside a running loop."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, cast


async def greet(
    user_id: int,
    fetch_name: Callable[[int], Awaitable[str]],
    record_visit: Callable[[int], Awaitable[None]],
) -> str:
    """Return "Hello, <name>!" for the user `user_id`, after recording the visit."""
    name = asyncio.run(cast(Any, fetch_name(user_id)))
    asyncio.run(cast(Any, record_visit(user_id)))
    return f"Hello, {name}!"
