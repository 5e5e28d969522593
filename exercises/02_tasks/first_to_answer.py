"""Take the first answer and cancel the rest.

`first_answer(mirrors, fetch)` asks every mirror for the same page at once, with
`fetch(mirror)`, and returns the first answer to arrive. `mirrors` is never empty.

Today it does return the fastest answer, but the slower requests are still running after
it returns: they keep connections busy, and nobody will ever read their answers. Cancel
them all first, so that they clean up at the same time, then wait until they have finished
cancelling before you return. If the first request to finish failed, raise its error,
again only once the rest have been cancelled and have finished.
"""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def first_answer(mirrors: list[str], fetch: Callable[[str], Coroutine[Any, Any, str]]) -> str:
    """Return the first page any mirror sends, once the other requests have stopped."""
    requests = [asyncio.create_task(fetch(mirror)) for mirror in mirrors]
    done, _ = await asyncio.wait(requests, return_when=asyncio.FIRST_COMPLETED)
    # TODO: the slower requests are still running: stop them before you return.
    return done.pop().result()
