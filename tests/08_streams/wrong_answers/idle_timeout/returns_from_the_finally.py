"""Wrong: returns from the `finally`, which throws away the server's cancellation."""

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
                break
            if not line:
                break
            writer.write(b"ok: " + line)
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()
        return  # noqa: B012 (the mistake on show)
