"""Serve many clients at once, and shut down cleanly.

`run_server(answer, ready, stop)` runs a line server on 127.0.0.1, on a port the system
picks (ask for port 0). Each line a client sends, without its newline, is answered with
`await answer(line)` plus a newline. One client's lines are answered in order, one after
another; different clients are served at the same time, so a slow answer for one client
never holds up another. When a client ends its side of the stream, the server answers what
it has already received and then closes that connection.

Once clients can connect, set the future `ready` to the port number. When the event `stop`
is set, stop accepting new clients, close the connection of every client still connected,
and return once the server is closed (`server.close()`, then `await server.wait_closed()`).
A client is hung up on even while its answer is under way: when that answer is ready, its
handler finds the connection gone (writer.drain() raises ConnectionError) and must end
quietly, since an error that escapes a handler reaches no caller.
"""

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
                reply = await answer(line.decode().removesuffix("\n"))
                writer.write(reply.encode() + b"\n")
                await writer.drain()
        except ConnectionError:
            pass  # the client went away, or stop hung up on it, while an answer was under way
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
