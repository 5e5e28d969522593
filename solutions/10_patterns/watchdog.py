"""Keep a job alive while it makes progress, and never past its deadline.

`supervise(job, idle, deadline)` runs `await job(progress)` and returns what it returns.

- The job calls `progress()` (a plain function) each time it gets somewhere. If `idle`
  seconds go by without a call (counting from the start, then from the latest call),
  the job is cancelled and `supervise` raises TimeoutError.
- However much progress it makes, the job may not run past `deadline`, a moment on the
  event loop's clock (compare loop.time()); then, too, it is cancelled and `supervise`
  raises TimeoutError.
- An error the job raises itself comes out of `supervise` as it is. If `supervise` is
  cancelled, the job is cancelled and `supervise` ends cancelled, not timed out.

asyncio.timeout_at(when) gives up at a moment on the loop's clock, and the object that
`async with asyncio.timeout(...) as watchdog:` hands you can move its own deadline:
watchdog.reschedule(new_when).
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def supervise(
    job: Callable[[Callable[[], None]], Awaitable[T]], idle: float, deadline: float
) -> T:
    """The job's result, unless it goes quiet for `idle` seconds or runs past `deadline`."""
    loop = asyncio.get_running_loop()
    # Two timeouts, each cancelling the job and turning that into TimeoutError; only the
    # inner one moves. A cancellation from outside stays a cancellation.
    async with asyncio.timeout_at(deadline), asyncio.timeout(idle) as watchdog:

        def progress() -> None:
            watchdog.reschedule(loop.time() + idle)

        return await job(progress)
