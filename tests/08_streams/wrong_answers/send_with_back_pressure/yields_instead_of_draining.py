"""Wrong: hands control to the loop after each write, which never waits for the peer."""

import asyncio
from collections.abc import Iterable


async def send_all(writer: asyncio.StreamWriter, chunks: Iterable[bytes]) -> None:
    """Write every chunk in order, waiting whenever the peer falls behind."""
    for chunk in chunks:
        writer.write(chunk)
        await asyncio.sleep(0)
