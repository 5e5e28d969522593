"""Share work between a few workers through a queue.

`handle_all(items, handle, workers)` calls `await handle(item)` once for every item in
`items` (an item listed twice is handled twice), with at most `workers` calls running at
once, and returns the errors those calls raised, in any order. A call that raises does not
stop the others. `handle_all` returns as soon as the last call has finished, and leaves no
task of its own running. If `handle_all` is cancelled, it cancels the calls still running
and ends cancelled itself.

It puts the items on an `asyncio.Queue` and starts `workers` consumer tasks that take
items from it; `await queue.join()` waits until every item put on the queue has been
marked finished. Today nothing marks them, so `join()` waits forever; and once the work is
done, the consumers are left waiting on an empty queue.
"""

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
        await queue.join()
    finally:
        for consumer in consumers:
            consumer.cancel()
        await asyncio.wait(consumers)
    return errors
