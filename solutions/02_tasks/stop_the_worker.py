"""Cancel a task and wait for it to stop.

`run_worker_for(seconds, name, process)` starts a worker task called `name` that calls
`await process(0)`, `await process(1)`, ... one item after another, for ever. After
`seconds` of event-loop time it stops the worker and returns a `Report` with the task's
name and the number of items the worker finished processing.

Today it calls `worker.cancel()` and returns at once. But cancel() only asks the task to
stop: the CancelledError is thrown into it the next time it runs, and the item it was busy
with may take a while to clean up. Return only once the worker has really stopped (the
task is done). Awaiting a task you cancelled raises CancelledError in you; that one was
expected here, so `run_worker_for` must not raise it. But if `run_worker_for` is itself
cancelled while it waits for the worker, that cancellation is aimed at it: never swallow
it, let `run_worker_for` end cancelled. If the worker crashed before it was stopped,
`run_worker_for` must raise the worker's error.
"""

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
