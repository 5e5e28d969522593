"""Wrong: a watchdog task checks the time of the last progress every 0.1 s."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def supervise(
    job: Callable[[Callable[[], None]], Awaitable[T]], idle: float, deadline: float
) -> T:
    """The job's result, unless it goes quiet for `idle` seconds or runs past `deadline`."""
    loop = asyncio.get_running_loop()
    last = loop.time()

    def progress() -> None:
        nonlocal last
        last = loop.time()

    work = asyncio.ensure_future(job(progress))
    while not work.done():
        await asyncio.wait([work], timeout=0.1)
        if not work.done() and (loop.time() - last >= idle or loop.time() >= deadline):
            work.cancel()
            await asyncio.wait([work])
            raise TimeoutError
    return work.result()
