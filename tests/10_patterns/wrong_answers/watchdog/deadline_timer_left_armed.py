"""Wrong: cancels its own task from two timers, and leaves the deadline's armed on return."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def supervise(
    job: Callable[[Callable[[], None]], Awaitable[T]], idle: float, deadline: float
) -> T:
    """The job's result, unless it goes quiet for `idle` seconds or runs past `deadline`."""
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    assert me is not None
    fired = False

    def expire() -> None:
        nonlocal fired
        fired = True
        me.cancel()

    quiet = loop.call_later(idle, expire)
    final = loop.call_at(deadline, expire)

    def progress() -> None:
        nonlocal quiet
        quiet.cancel()
        quiet = loop.call_later(idle, expire)

    try:
        result = await job(progress)
    except asyncio.CancelledError:
        quiet.cancel()
        final.cancel()
        if fired and me.uncancel() == 0:
            raise TimeoutError from None
        raise
    quiet.cancel()
    return result
