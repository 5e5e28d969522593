"""Wrong: marks each item finished when it is taken, so join() returns before the work ends."""

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
            queue.task_done()
            try:
                await handle(item)
            except Exception as error:
                errors.append(error)

    consumers = [asyncio.create_task(consume()) for _ in range(workers)]
    # The consumers wait on get() forever, so they must be told to stop, after a cancel too.
    try:
        await queue.join()
    finally:
        for consumer in consumers:
            consumer.cancel()
        await asyncio.wait(consumers)
    return errors
