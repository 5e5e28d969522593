"""Wrong: splits lines itself and times each read(), so half a line resets the idle time."""

import asyncio


async def serve_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, idle_seconds: float
) -> None:
    """Answer each line with "ok: <line>"; after `idle_seconds` of silence say "bye" and hang up."""
    buffer = b""
    try:
        while True:
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                writer.write(b"ok: " + line + b"\n")
                await writer.drain()
            try:
                piece = await asyncio.wait_for(reader.read(1024), idle_seconds)
            except TimeoutError:
                writer.write(b"bye\n")
                return
            if not piece:
                return
            buffer += piece
    finally:
        writer.close()
        await writer.wait_closed()
