"""Wrong: starts no worker: renames the caller's task and does the work in it, under a timeout."""

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

    me = asyncio.current_task()
    assert me is not None
    me.set_name(name)
    try:
        async with asyncio.timeout(seconds):
            await work()
    except TimeoutError:
        pass
    return Report(me.get_name(), processed)
