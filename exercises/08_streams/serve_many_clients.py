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
    # TODO: start the server with asyncio.start_server (it runs a handler for each client),
    # report its port, wait for `stop`, then close every connection and the server.
    raise NotImplementedError
