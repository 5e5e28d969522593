"""Wrong: waits for whole payloads, but takes whatever has arrived as the header."""

import asyncio


async def read_messages(reader: asyncio.StreamReader) -> list[bytes]:
    """The payloads of every message on `reader`, in order, up to the end of the stream."""
    messages: list[bytes] = []
    while True:
        header = await reader.read(4)
        if not header:
            return messages
        length = int.from_bytes(header, "big")
        messages.append(await reader.readexactly(length))
