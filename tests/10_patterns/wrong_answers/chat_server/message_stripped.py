"""Wrong: strips the spaces around each message, not just its newline."""

import asyncio
import socket


async def run_chat(listener: socket.socket, stop: asyncio.Event, queue_limit: int = 100) -> None:
    """Run the chat room until `stop` is set."""
    room: dict[asyncio.StreamWriter, asyncio.Queue[bytes]] = {}
    stopping = False

    def broadcast(line: str, sender: asyncio.StreamWriter | None = None) -> None:
        for writer, queue in list(room.items()):
            if writer is sender:
                continue
            try:
                queue.put_nowait(line.encode())
            except asyncio.QueueFull:
                writer.transport.abort()  # its handler sees the connection lost, and leaves

    async def deliver(writer: asyncio.StreamWriter, queue: asyncio.Queue[bytes]) -> None:
        try:
            while True:
                writer.write(await queue.get())
                await writer.drain()
        except ConnectionError:
            pass  # the connection broke: the client's handler tells the room

    async def chat(name: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        broadcast(f"* {name} joined\n")
        room[writer] = asyncio.Queue(queue_limit)
        sending = asyncio.create_task(deliver(writer, room[writer]))
        try:
            while line := await reader.readline():
                message = line.decode().strip()
                broadcast(f"{name}: {message}\n", sender=writer)
        finally:
            del room[writer]
            sending.cancel()
            await asyncio.wait({sending})
            if not stopping:
                broadcast(f"* {name} left\n")

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
