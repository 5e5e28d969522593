"""Wrong: notices a cut-off message, but raises an error of its own instead of readexactly's."""

import asyncio


async def read_messages(reader: asyncio.StreamReader) -> list[bytes]:
    """The payloads of every message on `reader`, in order, up to the end of the stream."""
    messages: list[bytes] = []
    while True:
        try:
            header = await reader.readexactly(4)
        except asyncio.IncompleteReadError as cut_off:
            if cut_off.partial:
                raise ConnectionError("the stream was cut off") from cut_off
            return messages
        length = int.from_bytes(header, "big")
        try:
            messages.append(await reader.readexactly(length))
        except asyncio.IncompleteReadError as cut_off:
            raise asyncio.IncompleteReadError(cut_off.partial, None) from cut_off
