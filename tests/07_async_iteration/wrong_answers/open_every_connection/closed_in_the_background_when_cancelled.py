"""Wrong: connection() awaits its close, except when cancelled: then a new task closes it."""

import asyncio
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


_closing: set[asyncio.Task[None]] = set()


@asynccontextmanager
async def connection(server: str, network: Network) -> AsyncIterator[str]:
    """A connection to `server`, closed when the block ends, however it ends."""
    conn = await network.connect(server)
    try:
        yield conn
    except asyncio.CancelledError:
        # A cancelled task should not wait, or so this answer thinks.
        closing = asyncio.create_task(network.close(conn))
        _closing.add(closing)
        closing.add_done_callback(_closing.discard)
        raise
    except BaseException:
        await network.close(conn)
        raise
    else:
        await network.close(conn)


@asynccontextmanager
async def open_all(servers: list[str], network: Network) -> AsyncIterator[list[str]]:
    """One connection per server, in order; all closed, last first, however the block ends."""
    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(connection(s, network)) for s in servers]
