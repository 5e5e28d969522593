"""Wrong: stops the consumers after join() returns, but not when handle_all is cancelled."""

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
    await queue.join()
    for consumer in consumers:
        consumer.cancel()
    await asyncio.wait(consumers)
    return errors
