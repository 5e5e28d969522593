"""Wrong: cancels the others, then looks every tenth of a second whether they have stopped."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def first_answer(mirrors: list[str], fetch: Callable[[str], Coroutine[Any, Any, str]]) -> str:
    """Return the first page any mirror sends, once the other requests have stopped."""
    requests = [asyncio.create_task(fetch(mirror)) for mirror in mirrors]
    done, pending = await asyncio.wait(requests, return_when=asyncio.FIRST_COMPLETED)
    for request in pending:
        request.cancel()
    while not all(request.done() for request in pending):  # noqa: ASYNC110 (the mistake on show)
        await asyncio.sleep(0.1)
    return done.pop().result()
