"""Wrong: cancels the worker once, then looks every quarter of a second whether it has stopped."""

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
    await asyncio.sleep(seconds)
    worker.cancel()
    while not worker.done():  # noqa: ASYNC110 (the mistake on show)
        await asyncio.sleep(0.25)
    if not worker.cancelled():
        worker.result()  # raises the error of a worker that crashed
    return Report(worker.get_name(), processed)
