"""Wrong: answers each piece read() returns, which need not be one line."""

import asyncio


async def serve_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, idle_seconds: float
) -> None:
    """Answer each line with "ok: <line>"; after `idle_seconds` of silence say "bye" and hang up."""
    try:
        while True:
            try:
                line = await asyncio.wait_for(reader.read(1024), idle_seconds)
            except TimeoutError:
                writer.write(b"bye\n")
                return
            if not line:
                return
            writer.write(b"ok: " + line)
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()
