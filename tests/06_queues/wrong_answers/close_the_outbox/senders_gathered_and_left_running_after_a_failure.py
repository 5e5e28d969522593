"""Wrong: runs the senders with gather, which does not stop the others when one send fails."""

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
        await asyncio.gather(*(sender() for _ in range(senders)))
    except BaseException:
        outbox.shutdown(immediate=True)
        raise
    return sent
