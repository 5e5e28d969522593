"""Wrong: never marks a message finished, so join() waits forever."""

import asyncio
from collections.abc import Awaitable, Callable


async def deliver(
    outbox: asyncio.Queue[str], send: Callable[[str], Awaitable[None]], senders: int
) -> int:
    """Send messages from `outbox` with `senders` tasks until it is shut down; return the count."""
    # The queue itself says when the messages are over: no sentinels to count. (mypy checks
    # the kit as Python 3.11, whose asyncio has no shutdown, hence the ignores.)
    sent = 0

    async def sender() -> None:
        nonlocal sent
        while True:
            try:
                message = await outbox.get()
            except asyncio.QueueShutDown:
                return
            await send(message)
            sent += 1

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(senders):
                group.create_task(sender())
    except BaseException:
        outbox.shutdown(immediate=True)
        raise
    return sent
