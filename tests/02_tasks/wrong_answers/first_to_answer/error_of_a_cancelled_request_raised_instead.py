"""Wrong: raises the first error of any request, so a loser failing as it stops wins."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def first_answer(mirrors: list[str], fetch: Callable[[str], Coroutine[Any, Any, str]]) -> str:
    requests = [asyncio.create_task(fetch(mirror)) for mirror in mirrors]
    done, _ = await asyncio.wait(requests, return_when=asyncio.FIRST_COMPLETED)
    for request in requests:
        request.cancel()
    outcomes = await asyncio.gather(*requests, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    return done.pop().result()
