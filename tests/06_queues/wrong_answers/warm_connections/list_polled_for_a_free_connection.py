"""Wrong: keeps a list, newest last, and checks it every 0.1 s while none is free."""

import asyncio


class Pool:
    """Lends out connections, the most recently given back first."""

    def __init__(self, connections: list[str]) -> None:
        self._free = list(connections)

    async def acquire(self) -> str:
        """Borrow a free connection, waiting for one to be given back if none is free."""
        while not self._free:  # noqa: ASYNC110 (the mistake on show)
            await asyncio.sleep(0.1)
        return self._free.pop()

    def release(self, connection: str) -> None:
        """Give a borrowed connection back."""
        self._free.append(connection)
