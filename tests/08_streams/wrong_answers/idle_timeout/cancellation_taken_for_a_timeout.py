"""Wrong: catches the server's cancellation along with the timeout, and returns as if idle."""

import asyncio


async def serve_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, idle_seconds: float
) -> None:
    """Answer each line with "ok: <line>"; after `idle_seconds` of silence say "bye" and hang up."""
    try:
        while True:
            try:
                line = await asyncio.wait_for(reader.readline(), idle_seconds)
            except (TimeoutError, asyncio.CancelledError):
                writer.write(b"bye\n")
                return
            if not line:
                return
            writer.write(b"ok: " + line)
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()
