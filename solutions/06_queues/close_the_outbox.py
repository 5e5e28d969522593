"""Close a queue with Queue.shutdown (Python 3.13 and newer).

`deliver(outbox, send, senders)` runs `senders` sender tasks that take messages from the
`outbox` queue and `await send(message)` each one, and returns how many were sent.
Producers keep putting messages on the outbox while it runs, and when they have no more
they call `outbox.shutdown()`. From then on `put()` raises `asyncio.QueueShutDown`, while
`get()` still hands out the messages left and raises `QueueShutDown` only once the queue
is empty: so `deliver` returns when the outbox is shut down and every message is sent. After
`outbox.shutdown(immediate=True)` the messages left are dropped instead, and `deliver`
returns as soon as the messages being sent at that moment are done.

Mark each message finished with `outbox.task_done()` once its send is over, whether it
succeeded or not, so that a producer's `await outbox.join()` returns when everything put
has been dealt with.

If a send raises, or `deliver` is cancelled, the other senders are stopped and `deliver`
shuts the outbox down immediately: a producer waiting in `put()` on a full outbox, or in
`join()`, must not wait forever for senders that are gone. Then `deliver` raises the
send's error (a TaskGroup's ExceptionGroup holding it counts too) or ends cancelled.
"""

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
    except BaseException:
        outbox.shutdown(immediate=True)  # type: ignore[attr-defined]
        raise
    return sent
