"""Wrong: drains after every second chunk and the last, so two chunks pile up over the limit."""

import asyncio
from collections.abc import Iterable


async def send_all(writer: asyncio.StreamWriter, chunks: Iterable[bytes]) -> None:
    """Write every chunk in order, waiting whenever the peer falls behind."""
    for number, chunk in enumerate(chunks, start=1):
        writer.write(chunk)
        if number % 2 == 0:
            await writer.drain()
    await writer.drain()
