"""Wrong: connection() closes after the yield without a finally, so the block's error skips it."""

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
    yield conn
    await network.close(conn)


@asynccontextmanager
async def open_all(servers: list[str], network: Network) -> AsyncIterator[list[str]]:
    """One connection per server, in order; all closed, last first, however the block ends."""
    # The stack closes what it entered so far, last first, even when a later open fails.
    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(connection(s, network)) for s in servers]
