"""Wrong: feeds a bounded queue from a shielded producer task that a cancel leaves running."""

import asyncio
from collections.abc import Awaitable, Callable


async def handle_all(
    items: list[str], handle: Callable[[str], Awaitable[None]], workers: int
) -> list[Exception]:
    """Handle every item, `workers` at a time, and return the errors the calls raised."""
    queue: asyncio.Queue[str] = asyncio.Queue(maxsize=workers)
    errors: list[Exception] = []

    async def produce() -> None:
        for item in items:
            await queue.put(item)

    async def consume() -> None:
        while True:
            item = await queue.get()
            try:
                await handle(item)
            except Exception as error:
                errors.append(error)
            finally:
                queue.task_done()

    producer = asyncio.create_task(produce())
    consumers = [asyncio.create_task(consume()) for _ in range(workers)]
    try:
        # Shielded so that every item is on the queue before join(); a cancel skips the producer.
        await asyncio.shield(producer)
        await queue.join()
    finally:
        for consumer in consumers:
            consumer.cancel()
        await asyncio.wait(consumers)
    return errors
