"""Open a connection to every server, and always close them all.

`connection(server, network)` is an async context manager written as a generator with
`@contextlib.asynccontextmanager`: it opens a connection with
`await network.connect(server)`, gives the `async with` block that connection, and closes
it with `await network.close(conn)` however the block ends (normally, by an error, or by
a cancellation); the block's error then carries on.

`open_all(servers, network)` is an async context manager too: it opens one connection per
server, in the order of `servers` (a server listed twice gets two connections), and gives
the block the list of connections. When the block ends, it closes every connection, the
last opened first. If opening one of them fails, the connections already open are closed
(last first) before that error comes out, and the servers after it are never tried. If
closing one fails, the others are still closed and that error comes out.

The number of connections is only known when `open_all` runs, so nested `async with`
statements cannot be written out in advance: `contextlib.AsyncExitStack` holds any number
of context managers (`await stack.enter_async_context(cm)`) and exits them all, last first.
Today `connection` forgets to close on an error, and `open_all` closes nothing when an
open fails part way, and closes in the wrong order.
"""

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
    # TODO: close the connection however the block ends, even when it raises at the yield.
    yield conn
    await network.close(conn)


@asynccontextmanager
async def open_all(servers: list[str], network: Network) -> AsyncIterator[list[str]]:
    """One connection per server, in order; all closed, last first, however the block ends."""
    # TODO: enter one connection(server, network) per server on an AsyncExitStack.
    conns = [await network.connect(server) for server in servers]
    try:
        yield conns
    finally:
        for conn in conns:
            await network.close(conn)
