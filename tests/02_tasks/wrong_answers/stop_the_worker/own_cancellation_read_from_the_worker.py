"""Wrong: reads its own cancellation off worker.cancelling(), so a second cancel of it raises."""

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
    try:
        await worker
    except asyncio.CancelledError:
        if worker.cancelling() > 1:
            raise
    return Report(worker.get_name(), processed)
