"""Keep up with a slow reader: drain.

`send_all(writer, chunks)` sends every chunk of bytes, in order, to a peer that may read
more slowly than you write. writer.write() never waits: whatever the peer has not taken yet
piles up in the writer's buffer, in memory. Keep that pile small: after each write, wait
while the buffer is over its limit (`await writer.drain()` does exactly that). A peer that
goes away shows up there too: drain raises ConnectionError (ConnectionResetError, say),
and send_all must let it reach the caller.

Today send_all writes everything at once and returns straight away, however slowly the peer
reads, so a big upload to a slow peer ends up in memory, and a peer that has gone away
goes unnoticed.
"""

import asyncio
from collections.abc import Iterable


async def send_all(writer: asyncio.StreamWriter, chunks: Iterable[bytes]) -> None:
    """Write every chunk in order, waiting whenever the peer falls behind."""
    for chunk in chunks:
        writer.write(chunk)
        # drain returns at once while the buffer is under its limit, waits while it is
        # over, and raises if the connection has been lost.
        await writer.drain()
