"""Tests for exercises/08_streams/idle_timeout.py."""

import asyncio
from dataclasses import dataclass, field

from grader.inside.testing import loopback, send_script, task_outcome

# Virtual seconds the test client waits for the server before it gives up on it.
PATIENCE = 30


@dataclass
class Conversation:
    """What the client heard (with when), when the connection ended, and the handler's task."""

    heard: list[tuple[float, bytes]] = field(default_factory=list)
    ended_at: float | None = None
    handler: asyncio.Task[None] | None = None

    def lines(self) -> list[bytes]:
        return [line for _, line in self.heard]

    def describe(self) -> str:
        said = ", ".join(f"{line!r} at t={when:g} s" for when, line in self.heard) or "nothing"
        end = (
            f"the connection closed at t={self.ended_at:g} s"
            if self.ended_at is not None
            else f"the connection was still open {PATIENCE} s later"
        )
        return f"the client heard {said}, and {end}"


async def converse(
    exercise, idle: float, script: list[tuple[float, bytes]], *, ends: bool = False
) -> Conversation:
    """Run serve_client against a client that plays `script` (then ends its side, if told to)."""
    conversation = Conversation()
    loop = asyncio.get_running_loop()
    async with loopback() as (near, far):
        conversation.handler = asyncio.create_task(
            exercise.serve_client(near.reader, near.writer, idle)
        )
        client = asyncio.create_task(send_script(far.writer, script, end=ends))
        try:
            while line := await asyncio.wait_for(far.reader.readline(), PATIENCE):
                conversation.heard.append((loop.time(), line))
            conversation.ended_at = loop.time()
        except TimeoutError:
            pass
        await client
    await asyncio.wait({conversation.handler})
    return conversation


def lines(*words: str) -> list[tuple[float, bytes]]:
    """A script: each word as a line, after the gap before it (1.3, 0.25 and 2.5 s in turn)."""
    gaps = [1.3, 0.25, 2.5]
    return [(gaps[n % 3], f"{word}\n".encode()) for n, word in enumerate(words)]


async def test_every_line_is_answered_and_a_client_that_finishes_gets_no_bye(exercise):
    conversation = await converse(exercise, 3, lines("a", "b", "a"), ends=True)
    assert conversation.lines() == [b"ok: a\n", b"ok: b\n", b"ok: a\n"], (
        f"The client sent 'a', 'b', 'a' and ended its side of the stream; "
        f"{conversation.describe()}. Expected 'ok: a', 'ok: b', 'ok: a' and no 'bye': a "
        "client that has finished is not idle."
    )
    assert conversation.handler is not None
    returned = conversation.handler.done() and conversation.handler.exception() is None
    assert returned, (
        f"When the client ended the stream, serve_client {task_outcome(conversation.handler)}; "
        "expected it to return."
    )


async def test_each_line_is_answered_as_it_was_sent_however_the_bytes_arrive(exercise):
    # Two lines and a half in one piece, the rest of the third 1.3 s later.
    script = [(0.25, b"one\n two \nthr"), (1.3, b"ee\n")]
    conversation = await converse(exercise, 3, script, ends=True)
    expected = [b"ok: one\n", b"ok:  two \n", b"ok: three\n"]
    assert conversation.lines() == expected, (
        f"The client sent b'one\\n two \\nthr', then b'ee\\n' 1.3 s later; "
        f"{conversation.describe()}. Expected {expected!r}: one answer per line, "
        "whichever pieces the bytes come in (reader.readline()), with the line exactly as "
        "it came, spaces and all."
    )


async def test_a_quiet_client_is_cut_off_exactly_after_the_idle_time(exercise):
    conversation = await converse(exercise, 3, lines("a", "b", "c"))
    last_line_at = 1.3 + 0.25 + 2.5
    assert conversation.lines()[-1:] == [b"bye\n"], (
        f"The client went quiet after its last line at t={last_line_at:g} s, with 3 s allowed; "
        f"{conversation.describe()}. Expected a 'bye' at t={last_line_at + 3:g} s, then the "
        "connection closed. Put a timeout around the wait for the next line "
        "(asyncio.wait_for or asyncio.timeout)."
    )
    assert conversation.heard[-1][0] == conversation.ended_at == last_line_at + 3, (
        f"The client's last line came at t={last_line_at:g} s with 3 s allowed; "
        f"{conversation.describe()}. Expected 'bye' and the hang-up at "
        f"t={last_line_at + 3:g} s: the quiet time counts from the last line."
    )


async def test_half_a_line_does_not_reset_the_idle_time(exercise):
    # The start of a line 1.45 s after the first line; its end would come 1.37 s later, too late.
    script = [(1.3, b"a\n"), (1.45, b"hal"), (1.37, b"f\n")]
    conversation = await converse(exercise, 2.37, script)
    expected = [(1.3, b"ok: a\n"), (3.67, b"bye\n")]
    heard = [(round(when, 6), line) for when, line in conversation.heard]
    assert (heard, conversation.ended_at) == (expected, 3.67), (
        f"The client sent 'a' at t=1.3 s, then b'hal' at t=2.75 s and b'f\\n' at t=4.12 s, "
        f"with 2.37 s of quiet allowed; {conversation.describe()}. Expected 'ok: a', then "
        "'bye' and the hang-up at t=3.67 s: the quiet time counts from the last whole line, "
        "and the start of a line does not count. Time the wait for the whole line "
        "(reader.readline()), not each read of a few bytes."
    )


async def test_a_client_that_never_says_anything_is_cut_off(exercise):
    conversation = await converse(exercise, 2.5, [])
    cut_off = conversation.heard == [(2.5, b"bye\n")] and conversation.ended_at == 2.5
    assert cut_off, (
        f"A client connected and said nothing, with 2.5 s allowed; {conversation.describe()}. "
        "Expected 'bye' at t=2.5 s, then the connection closed."
    )


async def test_a_client_that_keeps_talking_is_never_cut_off(exercise):
    # Every gap is under the 1.3 s allowed, and the whole talk lasts much longer than that.
    script = [(1.25, b"more\n")] * 8
    conversation = await converse(exercise, 1.3, script, ends=True)
    assert conversation.lines() == [b"ok: more\n"] * 8, (
        f"The client sent a line every 1.25 s, eight times, with 1.3 s of quiet allowed; "
        f"{conversation.describe()}. Expected eight answers and no 'bye': the allowance is "
        "for the quiet between two lines, not for the whole conversation."
    )


async def test_a_handler_cancelled_by_its_server_hangs_up_and_stays_cancelled(exercise):
    loop = asyncio.get_running_loop()
    async with loopback() as (near, far):
        handler = asyncio.create_task(exercise.serve_client(near.reader, near.writer, 5))
        await asyncio.sleep(1.3)
        handler.cancel()
        try:
            closed: bytes | None = await asyncio.wait_for(far.reader.read(), PATIENCE)
            closed_at: float | None = loop.time()
        except TimeoutError:
            closed, closed_at = None, None
        await asyncio.wait({handler}, timeout=PATIENCE)
    assert handler.cancelled(), (
        f"serve_client was cancelled at t=1.3 s (its server is shutting down), and it "
        f"{task_outcome(handler)}; expected it to end cancelled. Let the CancelledError "
        "through: a timeout is not a cancellation, so catch TimeoutError only (not "
        "Exception or BaseException), and do not `return` from the `finally`: a return "
        "there throws away the exception that is on its way out."
    )
    seen = (
        f"the client still saw the connection open {PATIENCE} s later"
        if closed_at is None
        else f"the client saw the connection close at t={closed_at:g} s (and heard {closed!r})"
    )
    assert closed_at == 1.3, (
        f"serve_client was cancelled at t=1.3 s; {seen}. Expected it closed at once: the "
        "cancellation is raised at the await where the handler waits, so close the "
        "connection in a `finally` that runs however serve_client ends."
    )
