"""Wrong: cancels the others, then gives them one turn (sleep(0)) instead of awaiting them.

That is enough only for a request that stops the moment it is cancelled; one that has a
connection to close is still running when the answer is returned.
"""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def first_answer(mirrors: list[str], fetch: Callable[[str], Coroutine[Any, Any, str]]) -> str:
    """Return the first page any mirror sends, once the other requests have stopped."""
    requests = [asyncio.create_task(fetch(mirror)) for mirror in mirrors]
    done, pending = await asyncio.wait(requests, return_when=asyncio.FIRST_COMPLETED)
    for request in pending:
        request.cancel()
    await asyncio.sleep(0)  # "let them process the cancel"
    return done.pop().result()
