"""Wrong: when the first request failed, waits up to 0.5 s more for another mirror's answer."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def first_answer(mirrors: list[str], fetch: Callable[[str], Coroutine[Any, Any, str]]) -> str:
    requests = [asyncio.create_task(fetch(mirror)) for mirror in mirrors]
    try:
        done, pending = await asyncio.wait(requests, return_when=asyncio.FIRST_COMPLETED)
        winner = done.pop()
        if winner.exception() is not None and pending:
            more, pending = await asyncio.wait(
                pending, timeout=0.5, return_when=asyncio.FIRST_COMPLETED
            )
            good = [task for task in more if task.exception() is None]
            if good:
                winner = good[0]
        return_task = winner
    finally:
        for request in requests:
            request.cancel()
        await asyncio.gather(*requests, return_exceptions=True)
    return return_task.result()
