"""Wrong: suppresses every CancelledError around `await worker`, its own cancellation too.

When the task running run_worker_for is cancelled while it waits, the CancelledError it
receives is not the worker's; suppressing it makes run_worker_for return a report instead
of ending cancelled.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass
class Report:
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
    await asyncio.sleep(seconds)
    worker.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await worker
    return Report(worker.get_name(), processed)
