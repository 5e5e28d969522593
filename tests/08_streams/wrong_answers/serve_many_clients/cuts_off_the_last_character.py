"""Wrong: cuts the last character off every line, so a last line without a newline loses one."""

import asyncio
from collections.abc import Awaitable, Callable


async def run_server(
    answer: Callable[[str], Awaitable[str]], ready: asyncio.Future[int], stop: asyncio.Event
) -> None:
    """Serve every client at once until `stop` is set, then hang up on all and close."""
    # start_server runs serve_one in a task of its own for each client; the writers are
    # kept so that stopping can hang up on every client, which server.close() does not.
    connected: set[asyncio.StreamWriter] = set()

    async def serve_one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.add(writer)
        try:
            while line := await reader.readline():
                reply = await answer(line.decode()[:-1])
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
