"""Wrong: a handler whose client stop hung up on mid-answer lets drain's ConnectionError escape."""

import asyncio
from collections.abc import Awaitable, Callable


async def run_server(
    answer: Callable[[str], Awaitable[str]], ready: asyncio.Future[int], stop: asyncio.Event
) -> None:
    """Serve every client at once until `stop` is set, then hang up on all and close."""
    connected: set[asyncio.StreamWriter] = set()

    async def serve_one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.add(writer)
        try:
            while line := await reader.readline():
                reply = await answer(line.decode().removesuffix("\n"))
                writer.write(reply.encode() + b"\n")
                await writer.drain()
        finally:
            connected.discard(writer)
            writer.close()

    server = await asyncio.start_server(serve_one, "127.0.0.1", 0)
    ready.set_result(server.sockets[0].getsockname()[1])
    await stop.wait()
    server.close()
    for writer in list(connected):
        writer.close()
    await server.wait_closed()
