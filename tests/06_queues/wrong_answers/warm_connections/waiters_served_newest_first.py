"""Wrong: last in, first out for the waiting tasks too, so the newest waiter is served first."""

import asyncio


class Pool:
    """Lends out connections, the most recently given back first."""

    def __init__(self, connections: list[str]) -> None:
        self._free = list(connections)
        self._waiters: list[asyncio.Future[str]] = []

    async def acquire(self) -> str:
        """Borrow a free connection, waiting for one to be given back if none is free."""
        if self._free:
            return self._free.pop()
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        return await waiter

    def release(self, connection: str) -> None:
        """Give a borrowed connection back."""
        if self._waiters:
            self._waiters.pop().set_result(connection)
        else:
            self._free.append(connection)
