"""Tests for exercises/08_streams/serve_many_clients.py."""

import asyncio
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import pytest

from grader.inside.testing import Stream, Timeline, task_outcome

# Virtual seconds a test client waits for the server before it gives up on it.
PATIENCE = 30


@contextmanager
def writers_closed_when_thrown_away() -> Iterator[list[str]]:
    """The StreamWriters that asyncio closed itself, as they were thrown away, in the block.

    A StreamWriter still open when nothing refers to it any more is closed by its __del__,
    which warns "unclosed <StreamWriter ...>" (ResourceWarning): a handler that forgets
    writer.close() can look as if it hung up when it returned.
    """
    found: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield found
    for warning in caught:
        text = str(warning.message)
        if issubclass(warning.category, ResourceWarning) and text.startswith(
            "unclosed <StreamWriter"
        ):
            found.append(text)
        else:  # not this test's to judge: on to whoever was listening before
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )


class SlowAnswers:
    """Answers a line with the line in capitals after `delays[line]` s (1 s by default)."""

    def __init__(self, delays: dict[str, float] | None = None) -> None:
        self.delays = delays or {}
        self.timeline = Timeline()

    async def answer(self, line: str) -> str:
        async with self.timeline.track(f"answer {line}"):
            await asyncio.sleep(self.delays.get(line, 1))
            return line.upper()


async def start(exercise, answers: SlowAnswers) -> tuple[int, asyncio.Event, asyncio.Task[None]]:
    """run_server in a task, once it has set `ready`: ``(port, stop, task)``."""
    ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()
    server = asyncio.create_task(exercise.run_server(answers.answer, ready, stop))
    await asyncio.wait({ready, server}, timeout=PATIENCE, return_when=asyncio.FIRST_COMPLETED)
    if not ready.done():
        server.cancel()
        await asyncio.wait({server})
        pytest.fail(f"run_server never set `ready` to its port; it {task_outcome(server)}.")
    return ready.result(), stop, server


@asynccontextmanager
async def running(exercise, answers: SlowAnswers) -> AsyncIterator[tuple[int, asyncio.Event]]:
    """run_server in a task: ``(port, stop)``; stopped, and awaited, at the end of the block."""
    port, stop, server = await start(exercise, answers)
    try:
        yield port, stop
    finally:
        stop.set()
        await asyncio.wait({server}, timeout=PATIENCE)
        # Let the server's handlers see their connections closed before the test ends.
        await asyncio.sleep(1)


async def connect(port: int) -> Stream:
    return Stream(*await asyncio.open_connection("127.0.0.1", port))


async def next_line(client: Stream) -> bytes | None:
    """The client's next line (b"" at the end of the stream), or None if none comes in time."""
    try:
        return await asyncio.wait_for(client.reader.readline(), PATIENCE)
    except TimeoutError:
        return None


async def test_a_client_gets_its_answers_in_order(exercise, clock):
    answers = SlowAnswers({"b": 1.3, " a ": 0.25})
    async with running(exercise, answers) as (port, _):
        client = await connect(port)
        client.writer.write(b"b\n a \nb\n")
        heard = [await next_line(client) for _ in range(3)]
        answered_at = clock.now
        await client.close()
    assert heard == [b"B\n", b" A \n", b"B\n"], (
        f"A client sent 'b', ' a ', 'b' at once and heard {heard!r}; expected [b'B\\n', "
        "b' A \\n', b'B\\n']: each line's answer, in the order of the lines. A line is "
        "answered as it came, without its newline and nothing else: str.strip() would take "
        "its spaces off too."
    )
    assert answered_at == 2.85, answers.timeline.explain(
        f"The answers took 1.3 + 0.25 + 1.3 = 2.85 s one after another, and the last came at "
        f"t={answered_at:g} s.",
        "Answer one client's lines one at a time, in order.",
    )


async def test_ten_clients_at_the_same_instant_are_served_together(exercise, clock):
    answers = SlowAnswers()
    async with running(exercise, answers) as (port, _):
        clients = [await connect(port) for _ in range(10)]
        for number, client in enumerate(clients):
            client.writer.write(f"client {number}\n".encode())
        heard = await asyncio.gather(*(next_line(client) for client in clients))
        answered_at = clock.now
        for client in clients:
            await client.close()
    assert heard == [f"CLIENT {number}\n".encode() for number in range(10)], (
        f"Ten clients each sent one line at t=0 and heard {heard!r}; expected each its own "
        "answer. A server that serves one client to the end before the next never gets to "
        "the others while the first stays connected."
    )
    assert answered_at == 1, answers.timeline.explain(
        f"Ten clients each asked at t=0 for a one-second answer; the last answer came at "
        f"t={answered_at:g} s, expected t=1 s.",
        "Serve every client at the same time: asyncio.start_server runs your handler in a "
        "task of its own for each connection.",
    )


async def test_a_slow_client_does_not_hold_up_a_quick_one(exercise, clock):
    answers = SlowAnswers({"slow": 2.5, "quick": 0.25})
    async with running(exercise, answers) as (port, _):
        slow = await connect(port)
        slow.writer.write(b"slow\n")
        await asyncio.sleep(0.25)
        quick = await connect(port)
        quick.writer.write(b"quick\n")
        quick_heard = await next_line(quick)
        quick_at = clock.now
        assert await next_line(slow) == b"SLOW\n"
        await slow.close()
        await quick.close()
    assert (quick_heard, quick_at) == (b"QUICK\n", 0.5), answers.timeline.explain(
        f"One client asked for a 2.5 s answer at t=0, another for a 0.25 s answer at "
        f"t=0.25 s; the second heard {quick_heard!r} at t={quick_at:g} s, expected "
        "b'QUICK\\n' at t=0.5 s.",
        "A slow answer for one client must not hold up another.",
    )


@pytest.mark.parametrize(
    "lines",
    [["x\r"], ["", "after"], ["first", "", "", "last"], [" a ", "\t", "b\r"]],
    ids=["a carriage return", "an empty line", "empty lines between", "spaces and a tab"],
)
async def test_every_line_is_answered_as_it_came_without_its_newline(exercise, clock, lines):
    async with running(exercise, SlowAnswers()) as (port, _):
        client = await connect(port)
        sent = "".join(f"{line}\n" for line in lines).encode()
        client.writer.write(sent)
        heard = [await next_line(client) for _ in lines]
        await client.close()
    expected = [f"{line.upper()}\n".encode() for line in lines]
    assert heard == expected, (
        f"A client sent {sent!r} and heard {heard!r} (None: nothing within {PATIENCE} s; b'': "
        f"the connection closed); expected {expected!r}: every line answered, each as it "
        "came with only its newline taken off (str.removesuffix('\\n')). An empty line "
        "(b'\\n') is a line like any other: only b'' from readline() is the end of the "
        "stream, so test for that before taking the newline off; and a carriage return "
        "before the newline belongs to the line."
    )


async def test_a_client_that_finishes_gets_its_answer_then_the_connection_closes(exercise, clock):
    with writers_closed_when_thrown_away() as thrown_away:
        async with running(exercise, SlowAnswers({"last": 1.3})) as (port, _):
            client = await connect(port)
            client.writer.write(b"last\n")
            client.writer.write_eof()
            heard = [await next_line(client), await next_line(client)]
            closed_at = clock.now
            await client.close()
    answered_then_closed = heard == [b"LAST\n", b""] and closed_at == 1.3
    assert answered_then_closed, (
        f"A client sent 'last' and ended its side of the stream; it heard {heard!r} "
        f"(None: nothing within {PATIENCE} s), the last at t={closed_at:g} s. Expected "
        "b'LAST\\n', then the end of the stream (b''), at t=1.3 s: answer what has arrived, "
        "then close the connection when readline() returns b''."
    )
    assert not thrown_away, (
        "A client sent 'last' and ended its side of the stream; the connection was closed "
        "only when Python threw away the handler's writer (asyncio warned: unclosed "
        "<StreamWriter ...>). That is asyncio tidying up after the handler, which it does "
        "not always get to: close the connection yourself (writer.close()) once "
        "readline() returns b''."
    )


async def test_a_last_line_without_a_newline_is_answered_before_the_connection_closes(
    exercise, clock
):
    async with running(exercise, SlowAnswers({"first": 0.25, "last": 1.3})) as (port, _):
        client = await connect(port)
        client.writer.write(b"first\nlast")
        client.writer.write_eof()
        heard = [await next_line(client) for _ in range(3)]
        closed_at = clock.now
        await client.close()
    assert (heard, closed_at) == ([b"FIRST\n", b"LAST\n", b""], 1.55), (
        f"A client sent b'first\\nlast' (no newline after 'last') and ended its side of the "
        f"stream; it heard {heard!r} (None: nothing within {PATIENCE} s), the last at "
        f"t={closed_at:g} s. Expected b'FIRST\\n', b'LAST\\n', then the end of the stream "
        "(b''), at t=1.55 s: 'last' has arrived, so it is answered too. At the end of the "
        "stream readline() returns the rest without a newline: take off a newline only if "
        "there is one (str.removesuffix), and do not drop what comes before the end."
    )


@pytest.mark.parametrize(
    "hello_takes", [0.25, 2.5], ids=["the answer already sent", "an answer under way"]
)
async def test_stop_hangs_up_on_every_client_and_closes_the_server(exercise, clock, hello_takes):
    port, stop, server = await start(exercise, SlowAnswers({"hello": hello_takes}))
    clients = [await connect(port) for _ in range(3)]
    clients[0].writer.write(b"hello\n")
    busy = hello_takes > 1.337
    if not busy:
        assert await next_line(clients[0]) == b"HELLO\n"
    # Off any polling grid: a server that checks stop.is_set() now and then is late.
    await asyncio.sleep(1.337 - clock.now)
    stop.set()
    await asyncio.wait({server}, timeout=PATIENCE)
    stopped_at = clock.now
    ends = await asyncio.gather(*(next_line(client) for client in clients))
    stopped_on_time = server.done() and stopped_at == 1.337
    hangs = (
        " server.wait_closed() returns only once every connection has closed: hang up on "
        "the clients before you await it."
        if not server.done()
        else " Do not wait for the answers under way: hang up on their clients too."
        if busy and ends[0] == b"HELLO\n"
        else " Await stop.wait() rather than checking stop.is_set() every so often."
        if stopped_at > 1.337
        else ""
    )
    assert stopped_on_time, (
        f"`stop` was set at t=1.337 s, "
        f"{'while a 2.5 s answer to the first client was under way, ' if busy else ''}"
        f"and run_server {task_outcome(server)} (at t={stopped_at:g} s); expected it to "
        f"return at t=1.337 s.{hangs}"
    )
    assert ends == [b"", b"", b""], (
        f"When the server stopped, its three clients "
        f"({'one waiting for an answer, two idle' if busy else 'all idle'}) read {ends!r}; "
        "expected the end of the stream (b'') for each. server.close() only stops new "
        "connections: close each client's writer yourself, whether or not an answer is "
        "under way for it."
    )
    try:
        late = await connect(port)
    except ConnectionRefusedError:
        pass
    else:
        await late.close()
        pytest.fail("After run_server returned, a new client could still connect.")
    for client in clients:
        await client.close()
    # Let an answer still under way finish, and its handler see the connection closed.
    await asyncio.sleep(hello_takes + 1)


async def test_two_servers_run_side_by_side_on_ports_the_system_picks(exercise):
    answers = SlowAnswers({"x": 0.25})
    async with running(exercise, answers) as (first_port, _):
        ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        stop = asyncio.Event()
        second = asyncio.create_task(exercise.run_server(answers.answer, ready, stop))
        await asyncio.wait({ready, second}, timeout=PATIENCE, return_when=asyncio.FIRST_COMPLETED)
        second_port = ready.result() if ready.done() else None
        heard = []
        if second_port is not None:
            for port in first_port, second_port:
                client = await connect(port)
                client.writer.write(b"x\n")
                heard.append(await next_line(client))
                await client.close()
        stop.set()
        await asyncio.wait({second}, timeout=PATIENCE)
    assert second_port not in (None, first_port), (
        f"One server was running on port {first_port}, and a second run_server "
        f"{'set `ready` to ' + str(second_port) if second_port else task_outcome(second)}; "
        "expected it to get a port of its own. Ask for port 0, and the system picks a free "
        "one; then read it from server.sockets[0].getsockname()[1]."
    )
    assert heard == [b"X\n", b"X\n"], (
        f"Two servers ran side by side; a client of each sent 'x' and they heard {heard!r}, "
        "expected b'X\\n' each."
    )
