"""Wrong: answers each line in a task of its own, so a quick answer overtakes a slow one."""

import asyncio
from collections.abc import Awaitable, Callable


async def run_server(
    answer: Callable[[str], Awaitable[str]], ready: asyncio.Future[int], stop: asyncio.Event
) -> None:
    """Serve every client at once until `stop` is set, then hang up on all and close."""
    connected: set[asyncio.StreamWriter] = set()

    async def reply(line: bytes, writer: asyncio.StreamWriter) -> None:
        text = await answer(line.decode().removesuffix("\n"))
        writer.write(text.encode() + b"\n")

    async def serve_one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.add(writer)
        try:
            async with asyncio.TaskGroup() as group:
                while line := await reader.readline():
                    group.create_task(reply(line, writer))
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
