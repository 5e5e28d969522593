"""Wrong: raises for a cut-off payload, but not for a cut-off header."""

import asyncio


async def read_messages(reader: asyncio.StreamReader) -> list[bytes]:
    """The payloads of every message on `reader`, in order, up to the end of the stream."""
    messages: list[bytes] = []
    while True:
        try:
            header = await reader.readexactly(4)
        except asyncio.IncompleteReadError:
            return messages
        length = int.from_bytes(header, "big")
        messages.append(await reader.readexactly(length))
