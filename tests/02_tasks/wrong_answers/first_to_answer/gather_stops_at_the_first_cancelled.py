"""Wrong: awaits gather without return_exceptions=True and swallows the CancelledError it raises.

gather raises as soon as the first cancelled request stops, so first_answer returns while a
request with a longer cleanup is still closing its connection.
"""

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
    with contextlib.suppress(asyncio.CancelledError):  # "the cancellation we asked for"
        await asyncio.gather(*pending)
    return done.pop().result()
