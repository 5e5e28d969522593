"""Wrong: drains only when the buffer is over its limit, so a lost connection can go unseen."""

import asyncio
from collections.abc import Iterable


async def send_all(writer: asyncio.StreamWriter, chunks: Iterable[bytes]) -> None:
    """Write every chunk in order, waiting whenever the peer falls behind."""
    for chunk in chunks:
        writer.write(chunk)
        _, high = writer.transport.get_write_buffer_limits()
        if writer.transport.get_write_buffer_size() > high:
            await writer.drain()
