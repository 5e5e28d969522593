"""Wrong: takes a carriage return before the newline off too, as if it were part of it."""

import asyncio


async def run_server(answer, ready, stop):
    connected = set()

    async def serve_one(reader, writer):
        connected.add(writer)
        try:
            while line := await reader.readline():
                reply = await answer(line.decode().rstrip("\r\n"))
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
