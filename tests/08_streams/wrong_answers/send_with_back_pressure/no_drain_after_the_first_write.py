"""Wrong: skips the drain after the first write, so a one-chunk send never learns of a lost peer."""

import asyncio
from collections.abc import Iterable


async def send_all(writer: asyncio.StreamWriter, chunks: Iterable[bytes]) -> None:
    """Write every chunk in order, waiting whenever the peer falls behind."""
    for number, chunk in enumerate(chunks):
        writer.write(chunk)
        if number > 0:
            await writer.drain()
