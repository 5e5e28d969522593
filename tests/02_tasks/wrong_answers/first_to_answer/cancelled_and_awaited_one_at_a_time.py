"""Wrong: cancels and awaits the others one at a time, so their cleanups add up."""

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any


async def first_answer(mirrors: list[str], fetch: Callable[[str], Coroutine[Any, Any, str]]) -> str:
    """Return the first page any mirror sends, once the other requests have stopped."""
    requests = [asyncio.create_task(fetch(mirror)) for mirror in mirrors]
    done, pending = await asyncio.wait(requests, return_when=asyncio.FIRST_COMPLETED)
    for request in pending:
        request.cancel()
        with contextlib.suppress(asyncio.CancelledError):  # the cancellation we asked for
            await request
    return done.pop().result()
