"""Wrong: one timeout around the whole conversation cuts off a client that keeps talking."""

import asyncio


async def serve_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, idle_seconds: float
) -> None:
    """Answer each line with "ok: <line>"; after `idle_seconds` of silence say "bye" and hang up."""
    try:
        async with asyncio.timeout(idle_seconds):
            while True:
                line = await reader.readline()
                if not line:
                    return
                writer.write(b"ok: " + line)
                await writer.drain()
    except TimeoutError:
        writer.write(b"bye\n")
    finally:
        writer.close()
        await writer.wait_closed()
