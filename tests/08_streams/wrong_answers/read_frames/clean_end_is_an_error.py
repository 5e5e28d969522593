"""Wrong: reads whole pieces, but lets the normal end of the stream escape as an error."""

import asyncio


async def read_messages(reader: asyncio.StreamReader) -> list[bytes]:
    """The payloads of every message on `reader`, in order, up to the end of the stream."""
    messages: list[bytes] = []
    while True:
        header = await reader.readexactly(4)
        length = int.from_bytes(header, "big")
        messages.append(await reader.readexactly(length))
