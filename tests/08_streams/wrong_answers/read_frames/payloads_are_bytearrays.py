"""Wrong: reads each piece into a bytearray and returns those, not bytes."""

import asyncio


async def _exactly(reader, n):
    buf = bytearray()
    while len(buf) < n:
        piece = await reader.read(n - len(buf))
        if not piece:
            raise asyncio.IncompleteReadError(bytes(buf), n)
        buf += piece
    return buf


async def read_messages(reader):
    messages = []
    while True:
        try:
            header = await _exactly(reader, 4)
        except asyncio.IncompleteReadError as cut_off:
            if cut_off.partial:
                raise
            return messages
        messages.append(await _exactly(reader, int.from_bytes(header, "big")))
