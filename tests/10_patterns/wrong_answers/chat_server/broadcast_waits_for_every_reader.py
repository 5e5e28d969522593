"""Wrong: writes and drains each client in turn, so one client that never reads stalls the room."""

import asyncio
import socket


async def run_chat(listener: socket.socket, stop: asyncio.Event, queue_limit: int = 100) -> None:
    """Run the chat room until `stop` is set."""
    # Each client gets a queue and a task of its own that writes to it, so a broadcast only
    # puts lines in queues and never waits for a slow reader.
    room: set[asyncio.StreamWriter] = set()
    stopping = False

    async def broadcast(line: str, sender: asyncio.StreamWriter | None = None) -> None:
        for writer in list(room):
            if writer is not sender:
                try:
                    writer.write(line.encode())
                    await writer.drain()
                except ConnectionError:
                    pass

    async def chat(name: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await broadcast(f"* {name} joined\n")
        room.add(writer)
        try:
            while line := await reader.readline():
                message = line.decode().removesuffix("\n")
                await broadcast(f"{name}: {message}\n", sender=writer)
        finally:
            room.discard(writer)
            if not stopping:
                await broadcast(f"* {name} left\n")

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            name = (await reader.readline()).decode().strip()
            if name and not stopping:
                await chat(name, reader, writer)
        except ConnectionError:
            pass  # a broken connection is one way of leaving
        finally:
            writer.close()

    server = await asyncio.start_server(serve, sock=listener)
    await stop.wait()
    stopping = True
    server.close()
    for writer in list(room):
        writer.close()
    await server.wait_closed()
