"""Wrong: a flag its own timers set turns an outside cancel in the same instant into a timeout."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def supervise(
    job: Callable[[Callable[[], None]], Awaitable[T]], idle: float, deadline: float
) -> T:
    """The job's result, unless it goes quiet for `idle` seconds or runs past `deadline`."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    timed_out = False

    def give_up() -> None:
        nonlocal timed_out
        timed_out = True
        task.cancel()

    idle_timer = loop.call_at(loop.time() + idle, give_up)
    deadline_timer = loop.call_at(deadline, give_up)

    def progress() -> None:
        nonlocal idle_timer
        idle_timer.cancel()
        idle_timer = loop.call_at(loop.time() + idle, give_up)

    try:
        return await job(progress)
    except asyncio.CancelledError:
        if timed_out:
            task.uncancel()
            raise TimeoutError from None
        raise
    finally:
        idle_timer.cancel()
        deadline_timer.cancel()
