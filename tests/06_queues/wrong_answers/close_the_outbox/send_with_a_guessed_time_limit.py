"""Wrong: gives each send at most 30 s, so a slow send fails instead of being waited for."""

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
                await asyncio.wait_for(send(message), 30)
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
