"""Wrong: on cancellation calls plain shutdown(), so the messages left keep join() waiting."""

import asyncio
from collections.abc import Awaitable, Callable


async def deliver(
    outbox: asyncio.Queue[str], send: Callable[[str], Awaitable[None]], senders: int
) -> int:
    """Send messages from `outbox` with `senders` tasks until it is shut down; return the count."""
    # QueueShutDown from get() says the messages are over, so there are no sentinels to count
    # (the ignores are for mypy, which checks the kit as Python 3.11).
    sent = 0

    async def sender() -> None:
        nonlocal sent
        while True:
            try:
                message = await outbox.get()
            except asyncio.QueueShutDown:  # type: ignore[attr-defined]
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
    except asyncio.CancelledError:
        outbox.shutdown()  # type: ignore[attr-defined]
        raise
    except Exception:
        outbox.shutdown(immediate=True)  # type: ignore[attr-defined]
        raise
    return sent
