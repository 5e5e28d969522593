"""Wrong: looks at the deadline only at the start and when the job calls progress()."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def supervise(
    job: Callable[[Callable[[], None]], Awaitable[T]], idle: float, deadline: float
) -> T:
    """The job's result, unless it goes quiet for `idle` seconds or runs past `deadline`."""
    loop = asyncio.get_running_loop()
    if loop.time() >= deadline:
        raise TimeoutError
    async with asyncio.timeout(idle) as watchdog:

        def progress() -> None:
            if loop.time() >= deadline:
                watchdog.reschedule(loop.time())
            else:
                watchdog.reschedule(loop.time() + idle)

        return await job(progress)
