"""Wrong: each progress() adds `idle` to the previous idle limit instead of counting from now."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def supervise(
    job: Callable[[Callable[[], None]], Awaitable[T]], idle: float, deadline: float
) -> T:
    """The job's result, unless it goes quiet for `idle` seconds or runs past `deadline`."""
    async with asyncio.timeout_at(deadline), asyncio.timeout(idle) as watchdog:

        def progress() -> None:
            when = watchdog.when()
            assert when is not None
            watchdog.reschedule(when + idle)

        return await job(progress)
