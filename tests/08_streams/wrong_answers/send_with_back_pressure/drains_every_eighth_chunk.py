"""Wrong: drains only now and then, letting eight chunks pile up between two drains."""

import asyncio
from collections.abc import Iterable


async def send_all(writer: asyncio.StreamWriter, chunks: Iterable[bytes]) -> None:
    """Write every chunk in order, waiting whenever the peer falls behind."""
    for number, chunk in enumerate(chunks, start=1):
        writer.write(chunk)
        if number % 8 == 0:
            await writer.drain()
    await writer.drain()
