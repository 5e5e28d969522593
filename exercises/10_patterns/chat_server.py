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
    # TODO: asyncio.start_server with a handler per client; a queue and a sending task per
    # client, so that broadcasting never waits for anyone; then shut down on `stop`.
    raise NotImplementedError
