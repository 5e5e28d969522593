"""Wrong: starts record_visit as a background task but returns without waiting for it."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

_background: set[asyncio.Future[Any]] = set()


async def greet(
    user_id: int,
    fetch_name: Callable[[int], Awaitable[str]],
    record_visit: Callable[[int], Awaitable[None]],
) -> str:
    """Return "Hello, <name>!" for the user `user_id`, after recording the visit."""
    name = await fetch_name(user_id)
    visit = asyncio.ensure_future(record_visit(user_id))
    _background.add(visit)  # kept so it is not garbage-collected, but never awaited
    visit.add_done_callback(_background.discard)
    return f"Hello, {name}!"
