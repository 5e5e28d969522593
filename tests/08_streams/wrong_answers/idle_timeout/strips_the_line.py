"""Wrong: strips the spaces at both ends of a line before answering it."""

import asyncio


async def serve_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, idle_seconds: float
) -> None:
    """Answer each line with "ok: <line>"; after `idle_seconds` of silence say "bye" and hang up."""
    try:
        while True:
            try:
                line = await asyncio.wait_for(reader.readline(), idle_seconds)
            except TimeoutError:
                writer.write(b"bye\n")
                return
            if not line:
                return
            writer.write(b"ok: " + line.strip() + b"\n")
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()
