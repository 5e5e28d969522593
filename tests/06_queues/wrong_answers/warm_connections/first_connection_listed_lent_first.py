"""Wrong: fills the LifoQueue in reverse, so the first connection listed is lent out first."""

import asyncio


class Pool:
    """Lends out connections, the most recently given back first."""

    def __init__(self, connections: list[str]) -> None:
        # A LifoQueue hands out the newest item, and still wakes its waiters in arrival order.
        self._free: asyncio.LifoQueue[str] = asyncio.LifoQueue()
        for connection in reversed(connections):
            self._free.put_nowait(connection)

    async def acquire(self) -> str:
        """Borrow a free connection, waiting for one to be given back if none is free."""
        return await self._free.get()

    def release(self, connection: str) -> None:
        """Give a borrowed connection back."""
        self._free.put_nowait(connection)
