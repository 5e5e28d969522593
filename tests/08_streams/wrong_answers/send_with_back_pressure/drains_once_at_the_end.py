"""Wrong: writes everything, then drains once: the whole upload has already piled up."""

import asyncio
from collections.abc import Iterable


async def send_all(writer: asyncio.StreamWriter, chunks: Iterable[bytes]) -> None:
    """Write every chunk in order, waiting whenever the peer falls behind."""
    for chunk in chunks:
        writer.write(chunk)
    await writer.drain()
