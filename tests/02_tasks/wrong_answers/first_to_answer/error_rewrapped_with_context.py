"""Wrong: stops the others properly, but raises a new ConnectionError instead of the winner's."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def first_answer(mirrors: list[str], fetch: Callable[[str], Coroutine[Any, Any, str]]) -> str:
    """Return the first page any mirror sends, once the other requests have stopped."""
    requests = [asyncio.create_task(fetch(mirror)) for mirror in mirrors]
    done, _ = await asyncio.wait(requests, return_when=asyncio.FIRST_COMPLETED)
    for request in requests:
        request.cancel()
    await asyncio.gather(*requests, return_exceptions=True)
    try:
        return done.pop().result()
    except ConnectionError as error:
        raise ConnectionError(f"the fastest mirror failed: {error}") from error
