"""Wrong: when cancelled, cancels the consumers but ends without waiting for them to unwind."""

import asyncio
from collections.abc import Awaitable, Callable


async def handle_all(
    items: list[str], handle: Callable[[str], Awaitable[None]], workers: int
) -> list[Exception]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    errors: list[Exception] = []

    async def consume() -> None:
        while True:
            item = await queue.get()
            try:
                await handle(item)
            except Exception as error:
                errors.append(error)
            finally:
                queue.task_done()

    consumers = [asyncio.create_task(consume()) for _ in range(workers)]
    try:
        await queue.join()
    except asyncio.CancelledError:
        for consumer in consumers:
            consumer.cancel()
        raise
    for consumer in consumers:
        consumer.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    return errors
