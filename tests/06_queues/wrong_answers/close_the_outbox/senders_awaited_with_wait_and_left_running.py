"""Wrong: waits for the senders with asyncio.wait(FIRST_EXCEPTION) and never cancels them."""

import asyncio
from collections.abc import Awaitable, Callable


async def deliver(
    outbox: asyncio.Queue[str], send: Callable[[str], Awaitable[None]], senders: int
) -> int:
    """Send messages from `outbox` with `senders` tasks until it is shut down; return the count."""
    sent = 0

    async def sender() -> None:
        nonlocal sent
        while True:
            try:
                message = await outbox.get()
            except asyncio.QueueShutDown:
                return
            try:
                await send(message)
                sent += 1
            finally:
                outbox.task_done()

    try:
        tasks = [asyncio.create_task(sender()) for _ in range(senders)]
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            if task.exception() is not None:
                raise task.exception()
    except BaseException:
        outbox.shutdown(immediate=True)
        raise
    return sent
