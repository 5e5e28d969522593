"""Wrong: drains after each write, but takes a lost connection for the end of the job."""

import asyncio
from collections.abc import Iterable


async def send_all(writer: asyncio.StreamWriter, chunks: Iterable[bytes]) -> None:
    """Write every chunk in order, waiting whenever the peer falls behind."""
    for chunk in chunks:
        writer.write(chunk)
        try:
            await writer.drain()
        except ConnectionError:
            return
