"""Wrong: release() hands the connection to a waiter's future, lost if it is then cancelled."""

import asyncio
from collections import deque


class Pool:
    """Lends out connections, the most recently given back first."""

    def __init__(self, connections: list[str]) -> None:
        self._free = list(connections)
        self._waiters: deque[asyncio.Future[str]] = deque()

    async def acquire(self) -> str:
        """Borrow a free connection, waiting for one to be given back if none is free."""
        if self._free:
            return self._free.pop()
        waiter: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await waiter
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def release(self, connection: str) -> None:
        """Give a borrowed connection back."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        self._free.append(connection)
