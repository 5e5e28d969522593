"""Wrong: goes on opening the other servers after one fails, and raises only at the end."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Protocol


class Network(Protocol):
    """Opens and closes connections to servers."""

    async def connect(self, server: str) -> str:
        """Open a connection to `server` and return it."""
        ...

    async def close(self, connection: str) -> None:
        """Close a connection opened by connect()."""


@asynccontextmanager
async def connection(server: str, network: Network) -> AsyncIterator[str]:
    """A connection to `server`, closed when the block ends, however it ends."""
    conn = await network.connect(server)
    try:
        yield conn
    finally:
        await network.close(conn)


@asynccontextmanager
async def open_all(servers: list[str], network: Network) -> AsyncIterator[list[str]]:
    """One connection per server, in order; all closed, last first, however the block ends."""
    async with AsyncExitStack() as stack:
        conns: list[str] = []
        error: Exception | None = None
        for server in servers:
            try:
                conns.append(await stack.enter_async_context(connection(server, network)))
            except Exception as failed:
                error = error or failed
        if error is not None:
            raise error
        yield conns
