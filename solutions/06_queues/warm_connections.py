"""Lend out the connection that was given back last.

A `Pool` lends out database connections. `await pool.acquire()` returns a free
connection, first waiting until one is given back if they are all out;
`pool.release(connection)` gives one back without waiting. Tasks waiting in `acquire()`
are served in the order they started waiting, each at the moment a connection comes back,
and a task cancelled while it waits takes no connection. (The order is among the tasks
waiting: as with `asyncio.Queue.get()`, a task calling `acquire()` the moment a connection
comes back, before the waiter woken for it has resumed, may take it first; that waiter then
goes on waiting, maybe behind the others. A connection is never lent to two tasks at once.)

Connections that sit idle go stale and the server closes them, so the pool must lend the
connection given back most recently (it is still warm) and leave the others idle for as
long as possible. At the start, the connections count as given back in the order of
`connections`: the last one is lent out first. Today the pool lends out the one that has
been idle longest.
"""

import asyncio


class Pool:
    """Lends out connections, the most recently given back first."""

    def __init__(self, connections: list[str]) -> None:
        # A LifoQueue hands out the newest item, and still wakes its waiters in arrival order.
        self._free: asyncio.LifoQueue[str] = asyncio.LifoQueue()
        for connection in connections:
            self._free.put_nowait(connection)

    async def acquire(self) -> str:
        """Borrow a free connection, waiting for one to be given back if none is free."""
        return await self._free.get()

    def release(self, connection: str) -> None:
        """Give a borrowed connection back."""
        self._free.put_nowait(connection)
