"""Wrong: reads the length as a signed number (struct's ">i"), so a top bit makes it negative."""

import asyncio
import struct


async def read_messages(reader: asyncio.StreamReader) -> list[bytes]:
    """The payloads of every message on `reader`, in order, up to the end of the stream."""
    messages: list[bytes] = []
    while True:
        try:
            header = await reader.readexactly(4)
        except asyncio.IncompleteReadError as cut_off:
            if cut_off.partial:
                raise
            return messages
        (length,) = struct.unpack(">i", header)
        messages.append(await reader.readexactly(length))
