"""Wrong: looks for new lines every idle_seconds, so it cuts a client off up to twice too late."""

import asyncio


async def serve_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, idle_seconds: float
) -> None:
    """Answer each line with "ok: <line>"; after `idle_seconds` of silence say "bye" and hang up."""
    lines: asyncio.Queue[bytes] = asyncio.Queue()

    async def listen() -> None:
        while line := await reader.readline():
            await lines.put(line)
        await lines.put(b"")

    listener = asyncio.create_task(listen())
    try:
        while True:
            await asyncio.sleep(idle_seconds)
            if lines.empty():
                writer.write(b"bye\n")
                return
            while not lines.empty():
                line = lines.get_nowait()
                if not line:
                    return
                writer.write(b"ok: " + line)
            await writer.drain()
    finally:
        listener.cancel()
        writer.close()
        await writer.wait_closed()
