"""Wrong: pops from a list, newest last, and fails when every connection is out."""


class Pool:
    """Lends out connections, the most recently given back first."""

    def __init__(self, connections: list[str]) -> None:
        self._free = list(connections)

    async def acquire(self) -> str:
        """Borrow a free connection, waiting for one to be given back if none is free."""
        return self._free.pop()

    def release(self, connection: str) -> None:
        """Give a borrowed connection back."""
        self._free.append(connection)
