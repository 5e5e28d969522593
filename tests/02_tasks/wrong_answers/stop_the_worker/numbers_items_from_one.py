"""Wrong: counts up before the call, so the worker processes items 1, 2, 3, ... not 0, 1, 2."""

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
            item += 1
            await process(item)
            processed += 1

    worker = asyncio.create_task(work(), name=name)
    await asyncio.sleep(seconds)
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
