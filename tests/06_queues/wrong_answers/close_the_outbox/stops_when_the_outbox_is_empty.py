"""Wrong: takes messages with get_nowait() and stops as soon as the outbox is empty."""

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
                message = outbox.get_nowait()
            except (asyncio.QueueEmpty, asyncio.QueueShutDown):
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
