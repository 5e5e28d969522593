"""Wrong: returns after join() and leaves the consumers waiting on an empty queue."""

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

    for _ in range(workers):
        asyncio.create_task(consume())  # noqa: RUF006 (the mistake on show)
    await queue.join()
    return errors
