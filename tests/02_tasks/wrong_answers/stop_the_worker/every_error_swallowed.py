"""Wrong: catches every exception from the worker, so a crash is reported as a clean stop."""

import asyncio
import contextlib
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
    await asyncio.sleep(seconds)
    worker.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await worker
    return Report(worker.get_name(), processed)
