"""Wrong: on stop, lets the answers under way finish before hanging up on their clients."""

import asyncio


async def run_server(answer, ready, stop):
    busy = {}  # writer -> the handler task, while one of its lines is being answered
    idle = set()

    async def serve_one(reader, writer):
        idle.add(writer)
        try:
            while line := await reader.readline():
                idle.discard(writer)
                busy[writer] = asyncio.current_task()
                reply = await answer(line.decode().removesuffix("\n"))
                writer.write(reply.encode() + b"\n")
                await writer.drain()
                del busy[writer]
                if stop.is_set():
                    break
                idle.add(writer)
        finally:
            idle.discard(writer)
            busy.pop(writer, None)
            writer.close()

    server = await asyncio.start_server(serve_one, "127.0.0.1", 0)
    ready.set_result(server.sockets[0].getsockname()[1])
    await stop.wait()
    server.close()
    for writer in list(idle):
        writer.close()
    if busy:
        await asyncio.wait(set(busy.values()))
    await server.wait_closed()
