"""Hang up on a client that has gone quiet.

`serve_client(reader, writer, idle_seconds)` handles one client of a line server. It answers
every line the client sends with "ok: " and the line. A client that has sent no whole line
for `idle_seconds` (since its last line, or since it connected; the start of a line does not
count) is cut off: the handler writes the line "bye", closes the connection and returns,
exactly `idle_seconds` after the last line. A client that hangs up is let go without a
"bye". A client that keeps talking is never cut off, however long the conversation goes on.

Today the handler waits for the next line for as long as it takes: a client that goes quiet
keeps its connection open for ever.
"""

import asyncio


async def serve_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, idle_seconds: float
) -> None:
    """Answer each line with "ok: <line>"; after `idle_seconds` of silence say "bye" and hang up."""
    try:
        while True:
            # TODO: stop waiting for the next line after idle_seconds, and say goodbye.
            line = await reader.readline()
            if not line:
                return
            writer.write(b"ok: " + line)
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()
