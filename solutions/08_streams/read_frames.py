"""Read length-prefixed messages.

A message stream sends each message as a 4-byte header, the payload's length as a big-endian
unsigned number (`int.from_bytes(header, "big")`), followed by exactly that many bytes of
payload. A message may be empty (length 0). TCP delivers bytes in pieces of any size, so a
header or a payload can arrive split over several reads.

`read_messages(reader)` reads messages until the stream ends and returns the payloads in
order. A stream that ends between two messages has ended normally. A stream that ends inside
a message, in its header or in its payload, was cut off: let the
asyncio.IncompleteReadError that reader.readexactly raises about it reach the caller (its
`partial` holds the bytes that did arrive, its `expected` how many were asked for). The
error is about the whole piece that was cut off: `partial` holds every byte of that header
(or payload) that arrived, and `expected` is 4 (or the payload's length), which is what one
readexactly(4) per header and one readexactly(length) per payload raise.

Today `read_messages` uses reader.read(n), which returns at most n bytes: whatever has arrived.
"""

import asyncio


async def read_messages(reader: asyncio.StreamReader) -> list[bytes]:
    """The payloads of every message on `reader`, in order, up to the end of the stream."""
    messages: list[bytes] = []
    while True:
        # readexactly waits for all n bytes; when the stream ends first it raises
        # IncompleteReadError, whose `partial` is empty only if no message had begun.
        try:
            header = await reader.readexactly(4)
        except asyncio.IncompleteReadError as cut_off:
            if cut_off.partial:
                raise
            return messages
        length = int.from_bytes(header, "big")
        messages.append(await reader.readexactly(length))
