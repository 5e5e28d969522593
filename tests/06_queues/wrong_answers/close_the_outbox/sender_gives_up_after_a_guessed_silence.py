"""Wrong: a sender stops once the outbox has been empty for 30 s, before it is shut down."""

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
                message = await asyncio.wait_for(outbox.get(), 30)
            except (asyncio.QueueShutDown, TimeoutError):
                return
            try:
                await send(message)
                sent += 1
            finally:
                outbox.task_done()

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(senders):
                group.create_task(sender())
    except BaseException:
        outbox.shutdown(immediate=True)
        raise
    return sent
