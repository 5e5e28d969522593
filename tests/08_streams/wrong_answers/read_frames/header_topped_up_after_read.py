"""Wrong: reads the header with read(4) and tops a short one up, so `partial` misses bytes."""

import asyncio


async def read_messages(reader: asyncio.StreamReader) -> list[bytes]:
    """The payloads of every message on `reader`, in order, up to the end of the stream."""
    messages: list[bytes] = []
    while True:
        header = await reader.read(4)
        if not header:
            return messages
        if len(header) < 4:
            header += await reader.readexactly(4 - len(header))
        length = int.from_bytes(header, "big")
        messages.append(await reader.readexactly(length))
