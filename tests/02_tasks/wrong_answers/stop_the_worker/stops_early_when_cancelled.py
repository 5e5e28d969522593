"""Wrong: cancelled during the wait, it stops the worker early and returns a report."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass
class Report:
    """What a stopped worker got done."""

    name: str
    processed: int


async def run_worker_for(
    seconds: float, name: str, process: Callable[[int], Awaitable[None]]
) -> Report:
    """Run a worker called `name` for `seconds`, stop it, and report what it processed."""
    processed = 0

    async def work() -> None:
        nonlocal processed
        item = 0
        while True:
            await process(item)
            processed += 1
            item += 1

    worker = asyncio.create_task(work(), name=name)
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        # Cancelled early: stop the worker sooner and report what it got done.
        worker.cancel()
        await asyncio.wait({worker})
        return Report(worker.get_name(), processed)
    # Awaiting the task waits until it has stopped. Its CancelledError is the one we asked
    # for, unless we were cancelled too (then pass it on); a crash comes out as it is.
    worker.cancel()
    try:
        await worker
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
    return Report(worker.get_name(), processed)
