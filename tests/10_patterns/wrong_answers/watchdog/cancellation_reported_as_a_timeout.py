"""Wrong: turns every cancellation into TimeoutError, including one aimed at supervise."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def supervise(
    job: Callable[[Callable[[], None]], Awaitable[T]], idle: float, deadline: float
) -> T:
    """The job's result, unless it goes quiet for `idle` seconds or runs past `deadline`."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(deadline), asyncio.timeout(idle) as watchdog:

            def progress() -> None:
                watchdog.reschedule(loop.time() + idle)

            return await job(progress)
    except asyncio.CancelledError:
        raise TimeoutError from None
