"""Wrong: opens every connection before the try, so a failed open leaves the earlier ones open."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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
    # The block's error or cancellation is raised at the yield; finally still closes.
    try:
        yield conn
    finally:
        await network.close(conn)


@asynccontextmanager
async def open_all(servers: list[str], network: Network) -> AsyncIterator[list[str]]:
    """One connection per server, in order; all closed, last first, however the block ends."""
    conns = [await network.connect(server) for server in servers]
    try:
        yield conns
    finally:
        for conn in reversed(conns):
            await network.close(conn)
