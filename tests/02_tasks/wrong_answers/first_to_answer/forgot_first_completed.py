"""Wrong: asyncio.wait without return_when waits for every mirror, not the first."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def first_answer(mirrors: list[str], fetch: Callable[[str], Coroutine[Any, Any, str]]) -> str:
    """Return the first page any mirror sends, once the other requests have stopped."""
    requests = [asyncio.create_task(fetch(mirror)) for mirror in mirrors]
    done, _ = await asyncio.wait(requests)
    return done.pop().result()
