"""A chat room over TCP.

`run_chat(listener, stop, queue_limit)` runs a chat server on `listener`, a socket that is
already bound and listening (`asyncio.start_server(handler, sock=listener)` serves on it).

- A client's first line is its name; from then on it is in the room. The others get
  "* <name> joined".
- Every later line from a client is a message: every *other* client in the room gets
  "<name>: <message>". Lines from one client reach the others in the order it sent them.
- When a client leaves (it ends its stream, or its connection breaks), the others get
  "* <name> left".
- A slow reader must not hold up the room. Each client has its own queue of lines waiting
  to be sent to it, of at most `queue_limit` lines; a client whose queue is full when
  another line comes for it is cut off: its connection is dropped at once
  (`writer.transport.abort()`: a plain close would wait for it to read what is buffered),
  and it leaves the room as above.
- When the event `stop` is set: stop accepting clients, close every client's connection
  (no "left" lines then), close the server and return once it is closed (`wait_closed`).

Every line the server sends ends with a newline.
"""

import asyncio
import socket


async def run_chat(listener: socket.socket, stop: asyncio.Event, queue_limit: int = 100) -> None:
    """Run the chat room until `stop` is set."""
    # Each client gets a queue and a task of its own that writes to it, so a broadcast only
    # puts lines in queues and never waits for a slow reader.
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
                message = line.decode().removesuffix("\n")
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
