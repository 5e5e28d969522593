"""Tests for exercises/10_patterns/chat_server.py."""

import asyncio
import gc
import socket
import struct
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest

from grader.inside.testing import Stream, task_outcome

# Virtual seconds a test client waits for a line before it gives up on the server.
PATIENCE = 30
# How long a client listens to be sure that no line is coming for it.
QUIET = 1


class Chatter:
    """A test client: its name, its connection, and what it has heard so far."""

    def __init__(self, name: str, stream: Stream) -> None:
        self.name = name
        self.stream = stream

    def say(self, *lines: str) -> None:
        self.stream.writer.write("".join(f"{line}\n" for line in lines).encode())

    async def hear(self, wait: float = PATIENCE) -> str | None:
        """The next line (without its newline), "" at the end of the stream, None if none came."""
        try:
            line = await asyncio.wait_for(self.stream.reader.readline(), wait)
        except TimeoutError:
            return None
        return line.decode().removesuffix("\n") if line.endswith(b"\n") else ""

    async def hear_nothing_more(self) -> str | None:
        """None if nothing comes within QUIET seconds, else what came."""
        return await self.hear(QUIET)


class Listener(socket.socket):
    """A listening socket that keeps each connection it accepts, to tell which are closed."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted: list[socket.socket] = []

    def accept(self) -> tuple[socket.socket, Any]:
        connection, address = super().accept()
        self.accepted.append(connection)
        return connection, address

    def still_open(self) -> int:
        """How many of the accepted connections the server has not closed."""
        return sum(connection.fileno() != -1 for connection in self.accepted)


class Room:
    """run_chat in a task, and the clients the test connected to it."""

    def __init__(self, exercise, queue_limit: int) -> None:
        self.exercise = exercise
        self.queue_limit = queue_limit
        self.stop = asyncio.Event()
        self.chatters: list[Chatter] = []
        self.listener = Listener()
        self.port = 0
        self.task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        # A small send buffer, which the server's connections inherit, lets a client that
        # never reads fill its connection with kilobytes instead of megabytes.
        listener = self.listener
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 32768)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        self.port = listener.getsockname()[1]
        self.task = asyncio.create_task(
            self.exercise.run_chat(listener, self.stop, self.queue_limit)
        )
        await asyncio.sleep(0)
        if self.task.done():
            pytest.fail(f"run_chat was given its listening socket and {task_outcome(self.task)}.")

    async def join(self, name: str, *, buffers: int | None = None) -> Chatter:
        """Connect a client called `name` and send its name; wait until the others know.

        `buffers` makes the client's receive buffers (the kernel's and its reader's) small.
        """
        sock = socket.socket()
        limit = 2**16
        if buffers is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffers)
            limit = buffers
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", self.port))
        chatter = Chatter(name, Stream(*await asyncio.open_connection(sock=sock, limit=limit)))
        chatter.say(name)
        for other in self.chatters:
            heard = await other.hear()
            assert heard == f"* {name} joined", (
                f"{name} joined the room, and {other.name}, already in it, heard {heard!r}; "
                f"expected '* {name} joined'."
            )
        self.chatters.append(chatter)
        return chatter

    async def close(self) -> None:
        self.stop.set()
        if self.task is not None:
            await asyncio.wait({self.task}, timeout=PATIENCE)
        for chatter in self.chatters:
            await chatter.stream.close()
        # Let the server's handlers see their connections closed before the test ends.
        await asyncio.sleep(1)


@asynccontextmanager
async def chat_room(exercise, queue_limit: int = 100) -> AsyncIterator[Room]:
    room = Room(exercise, queue_limit)
    await room.open()
    try:
        yield room
    finally:
        await room.close()


async def test_a_message_reaches_everyone_else_but_not_its_sender(exercise):
    async with chat_room(exercise) as room:
        alice = await room.join("alice")
        bob = await room.join("bob")
        carol = await room.join("carol")
        alice.say("  hello, room ")
        heard = [await bob.hear(), await carol.hear()]
        echo = await alice.hear_nothing_more()
    assert heard == ["alice:   hello, room "] * 2, (
        f"alice said '  hello, room '; bob and carol heard {heard!r}, expected "
        "'alice:   hello, room ' each (None: nothing came): the message as it was sent, "
        "spaces and all, without its newline."
    )
    assert echo is None, (
        f"alice said '  hello, room ' and heard {echo!r} back; the sender hears nothing."
    )


async def test_a_last_line_without_a_newline_goes_out_as_a_whole_line(exercise):
    async with chat_room(exercise) as room:
        alice = await room.join("alice")
        bob = await room.join("bob")
        bob.stream.writer.write(b"bye")
        bob.stream.writer.write_eof()  # "bye" is bob's last line, and it has no newline
        heard = [await alice.hear(), await alice.hear()]
    assert heard == ["bob: bye", "* bob left"], (
        f"bob sent 'bye' with no newline and ended his stream; alice heard {heard!r}, "
        "expected 'bob: bye' and then '* bob left' ('': a line without its newline). Every "
        "line the server sends ends with a newline: take the message without its newline, "
        "if it has one, and add one to what you send."
    )


async def test_leaving_is_announced_however_the_connection_ends(exercise):
    async with chat_room(exercise) as room:
        alice = await room.join("alice")
        bob = await room.join("bob")
        carol = await room.join("carol")
        bob.stream.writer.write_eof()  # bob has finished
        after_bob = [await alice.hear(), await carol.hear()]
        # carol's connection breaks: closed at once with SO_LINGER 0, so the server gets a reset.
        sock = carol.stream.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        carol.stream.writer.transport.abort()
        after_carol = await alice.hear()
        room.chatters.remove(carol)
    assert after_bob == ["* bob left"] * 2, (
        f"bob ended his stream; alice and carol heard {after_bob!r}, expected '* bob left' each."
    )
    assert after_carol == "* carol left", (
        f"carol's connection broke (reset); alice heard {after_carol!r}, expected "
        "'* carol left'. A connection can also end with ConnectionResetError: treat it as "
        "leaving, too."
    )


async def test_lines_sent_at_the_same_instant_keep_each_senders_order(exercise):
    async with chat_room(exercise) as room:
        alice = await room.join("alice")
        bob = await room.join("bob")
        carol = await room.join("carol")
        alice.say(*(f"a{number}" for number in range(5)))
        bob.say(*(f"b{number}" for number in range(5)))
        heard = [await carol.hear() for _ in range(10)]
    from_alice = [line for line in heard if line and line.startswith("alice: ")]
    from_bob = [line for line in heard if line and line.startswith("bob: ")]
    assert from_alice == [f"alice: a{n}" for n in range(5)], (
        f"alice sent a0 to a4 at once; carol heard {from_alice!r} from her, expected them all "
        "in order."
    )
    assert from_bob == [f"bob: b{n}" for n in range(5)], (
        f"bob sent b0 to b4 at once; carol heard {from_bob!r} from him, expected them all in order."
    )


async def test_a_client_that_never_reads_is_cut_off_and_holds_up_nobody(exercise, clock):
    # alice talks in bursts of 25 long lines, 0.25 s apart: bob keeps up, slowpoke never reads.
    bursts, burst = 8, 25
    lines = bursts * burst
    async with chat_room(exercise, queue_limit=50) as room:
        await room.join("slowpoke", buffers=4096)  # and it never reads
        alice = await room.join("alice")
        bob = await room.join("bob")
        message = "x" * 1000

        async def talk() -> None:
            for _ in range(bursts):
                alice.say(*[message] * burst)
                await asyncio.sleep(0.25)

        talking = asyncio.create_task(talk())
        heard = [await bob.hear() for _ in range(lines + 1)]
        heard_at = clock.now
        await talking
    from_alice = heard.count(f"alice: {message}")
    slowpoke_left = "* slowpoke left" in heard
    assert from_alice == lines, (
        f"alice sent {lines} long lines, in bursts of {burst}, while slowpoke, in the room, "
        f"read nothing; bob heard {from_alice} of them. Expected all {lines}: one client "
        "that never reads must not hold up the others. Give each client its own queue and "
        "sending task, so that a broadcast never waits for a slow reader."
    )
    assert slowpoke_left, (
        f"alice sent {lines} long lines while slowpoke, in the room, read nothing, and bob "
        "never heard '* slowpoke left'. Slowpoke's queue fills up (the limit "
        "was 50), so it must be cut off: writer.transport.abort(), then announce that it left."
    )
    assert heard_at == 0.25 * (bursts - 1), (
        f"alice's last burst came at t={0.25 * (bursts - 1):g} s, and bob heard its last line "
        f"at t={heard_at:g} s."
    )


async def test_a_queue_holds_queue_limit_lines_and_one_more_cuts_its_client_off(exercise):
    # Lines that arrive in one piece are shared out before any client's sender runs, so
    # each of bob's and carol's queues holds every line of a burst at once.
    async with chat_room(exercise, queue_limit=3) as room:
        alice = await room.join("alice")
        bob = await room.join("bob")
        carol = await room.join("carol")
        alice.say("one", "two", "three")
        full = [[await chatter.hear() for _ in range(3)] for chatter in (bob, carol)]
        quiet = await alice.hear_nothing_more()
        alice.say("1", "2", "3", "4")
        over = sorted([await alice.hear(), await alice.hear()], key=str)
    three = ["alice: one", "alice: two", "alice: three"]
    assert (full, quiet) == ([three, three], None), (
        f"With queue_limit=3, alice sent three lines at once; bob and carol heard {full!r}, "
        f"and alice heard {quiet!r} (None: nothing); expected all three lines each, and "
        "nobody cut off: a queue of at most 3 lines has room for three."
    )
    assert over == ["* bob left", "* carol left"], (
        f"With queue_limit=3, alice then sent four lines at once, and heard {over!r}; "
        "expected '* bob left' and '* carol left' (None: nothing came): the fourth line "
        "found each of their queues full with 3 lines, so both are cut off. A queue holds "
        "at most queue_limit lines: asyncio.Queue(queue_limit), and QueueFull from "
        "put_nowait means cut off."
    )


async def test_stop_hangs_up_on_everyone_and_closes_the_server(exercise, clock):
    room = Room(exercise, 100)
    await room.open()
    alice = await room.join("alice")
    bob = await room.join("bob")
    await asyncio.sleep(1.3)
    room.stop.set()
    assert room.task is not None
    await asyncio.wait({room.task}, timeout=PATIENCE)
    stopped_at = clock.now
    ends = [await alice.hear(), await bob.hear()]
    refused = False
    try:
        late = Stream(*await asyncio.open_connection("127.0.0.1", room.port))
    except ConnectionRefusedError:
        refused = True
    else:
        await late.close()
    await room.close()
    stopped_on_time = room.task.done() and stopped_at == 1.3
    assert stopped_on_time, (
        f"`stop` was set at t=1.3 s and run_chat {task_outcome(room.task)} (at "
        f"t={stopped_at:g} s); expected it to return at t=1.3 s."
    )
    assert ends == ["", ""], (
        f"When the room closed, alice and bob read {ends!r}; expected the end of the stream "
        "('') for both, and no 'left' lines. Close every client's connection."
    )
    assert refused, "After run_chat returned, a new client could still connect."


# Before Python 3.12.1, server.wait_closed() returns without waiting for the connections,
# so there the test cannot ask run_chat to wait for them (it still checks the rest).
WAIT_CLOSED_WAITS_FOR_CONNECTIONS = sys.version_info >= (3, 12, 1)


async def test_stop_returns_only_once_every_connection_is_closed(exercise, clock):
    room = Room(exercise, 100)
    await room.open()
    # carol does not read for now, so lines for her pile up in her connection's buffers
    # and closing it must wait until she has read them.
    carol = await room.join("carol", buffers=4096)
    alice = await room.join("alice")
    alice.say(*["y" * 1000] * 80)
    await asyncio.sleep(0.25)
    room.stop.set()
    assert room.task is not None
    open_at_return: list[int] = []
    room.task.add_done_callback(lambda _: open_at_return.append(room.listener.still_open()))
    await asyncio.sleep(2.37)
    heard = 0
    while (line := await carol.hear()) not in ("", None):
        heard += line == f"alice: {'y' * 1000}"
    await asyncio.wait({room.task}, timeout=PATIENCE)
    await room.close()
    assert heard == 80, f"carol heard {heard} of alice's 80 lines; expected all of them."
    assert open_at_return == [0] or not WAIT_CLOSED_WAITS_FOR_CONNECTIONS, (
        f"`stop` was set at t=0.25 s and run_chat {task_outcome(room.task)}; when it ended, "
        f"{open_at_return[0] if open_at_return else 'some'} connection(s) of the room were "
        "still open (carol's, whose lines she read only from t=2.62 s). Expected run_chat "
        "to return once the server and every connection are closed: after server.close(), "
        "`await server.wait_closed()`, which waits for the last connection to close."
    )


@contextmanager
def no_garbage_collection() -> Iterator[None]:
    """Python's cycle collector off: it would close a connection the server left open.

    A stream's writer, protocol and transport refer to one another, and the writer closes
    its connection when the collector frees them, at a moment of its choosing.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


async def test_a_client_that_ends_its_stream_is_hung_up_on(exercise):
    with no_garbage_collection():
        async with chat_room(exercise) as room:
            alice = await room.join("alice")
            bob = await room.join("bob")
            bob.stream.writer.write_eof()  # bob has finished, and waits to be hung up on
            await alice.hear()
            end = await bob.hear()
    assert end == "", (
        f"bob ended his stream; reading on, he got {end!r} instead of the end of the stream "
        "(''; None: his connection stayed open). When a client leaves, close its connection "
        "(writer.close()), or every departed client keeps a socket open on the server."
    )


async def test_a_client_still_sending_its_name_when_stop_is_set_is_turned_away(exercise):
    room = Room(exercise, 100)
    await room.open()
    # zoe connects before `stop` but sends her name only after run_chat has returned.
    zoe = Chatter("zoe", Stream(*await asyncio.open_connection("127.0.0.1", room.port)))
    await room.join("alice")
    room.stop.set()
    assert room.task is not None
    await asyncio.wait({room.task}, timeout=PATIENCE)
    zoe.say("zoe")
    end = await zoe.hear()
    await zoe.stream.close()
    await room.close()
    assert end == "", (
        f"zoe connected before `stop` was set and sent her name after run_chat returned; she "
        f"then read {end!r}, expected the end of the stream ('') (None: her connection stayed "
        "open). A room that has stopped lets nobody in: a handler must check that the room is "
        "still open before a client joins, and close the connection otherwise."
    )
