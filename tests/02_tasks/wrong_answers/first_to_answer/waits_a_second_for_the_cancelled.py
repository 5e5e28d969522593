"""Wrong: cancels the others, then waits for them with a guessed timeout of one second."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def first_answer(mirrors: list[str], fetch: Callable[[str], Coroutine[Any, Any, str]]) -> str:
    """Return the first page any mirror sends, once the other requests have stopped."""
    requests = [asyncio.create_task(fetch(mirror)) for mirror in mirrors]
    done, pending = await asyncio.wait(requests, return_when=asyncio.FIRST_COMPLETED)
    for request in pending:
        request.cancel()
    if pending:
        await asyncio.wait(pending, timeout=1)
    return done.pop().result()
