"""Wrong: gives the work at most 30 s, so a slow call ends handle_all with TimeoutError."""

import asyncio
from collections.abc import Awaitable, Callable


async def handle_all(
    items: list[str], handle: Callable[[str], Awaitable[None]], workers: int
) -> list[Exception]:
    """Handle every item, `workers` at a time, and return the errors the calls raised."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    errors: list[Exception] = []

    async def consume() -> None:
        while True:
            item = await queue.get()
            # join() counts unfinished items: one item without task_done() and it never returns.
            try:
                await handle(item)
            except Exception as error:
                errors.append(error)
            finally:
                queue.task_done()

    consumers = [asyncio.create_task(consume()) for _ in range(workers)]
    # The consumers wait on get() forever, so they must be told to stop, after a cancel too.
    try:
        await asyncio.wait_for(queue.join(), 30)
    finally:
        for consumer in consumers:
            consumer.cancel()
        await asyncio.wait(consumers)
    return errors
