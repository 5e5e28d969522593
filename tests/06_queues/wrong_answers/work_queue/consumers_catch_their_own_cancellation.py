"""Wrong: a consumer catches BaseException, so it keeps a cancel as an error and goes on."""

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
            except BaseException as error:
                errors.append(error)
            finally:
                queue.task_done()

    consumers = [asyncio.create_task(consume()) for _ in range(workers)]
    # The consumers wait on get() forever, so they must be told to stop, after a cancel too.
    try:
        await queue.join()
    finally:
        for consumer in consumers:
            consumer.cancel()
        await asyncio.wait(consumers)
    return errors
