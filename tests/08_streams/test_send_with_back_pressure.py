"""Tests for exercises/08_streams/send_with_back_pressure.py.

The connection is real, with its buffers made small (the kernel's socket buffers, the
reader's and the writer's limit), so that a peer that reads slowly really holds the writer
back. How many bytes the kernel itself keeps varies by system; the assertions allow for it.
"""

import asyncio
from contextlib import AbstractAsyncContextManager, suppress
from dataclasses import dataclass, field

import pytest

from grader.inside.testing import Stream, loopback, task_outcome

CHUNK = 8 * 1024
CHUNKS = [bytes([n]) * CHUNK for n in range(32)]  # 256 KiB, each chunk recognisable
HIGH_WATER = 32 * 1024
# The reader takes up to this much at a time, every READ_GAP seconds, from READ_START on.
READ_SIZE = 32 * 1024
READ_GAP = 0.25
READ_START = 1.3


def small_buffers() -> AbstractAsyncContextManager[tuple[Stream, Stream]]:
    """A connection whose buffers are small, so that back-pressure comes soon."""
    return loopback(limit=CHUNK, kernel_buffer=8192)


@dataclass
class SlowReader:
    """Reads READ_SIZE bytes every READ_GAP s from `start` on, noting the writer's buffer."""

    near: Stream
    far: Stream
    start: float = READ_START
    received: bytearray = field(default_factory=bytearray)
    most_buffered: int = 0
    hang_up_after: int | None = None
    hung_up_at: float | None = None
    pauses: int = 0

    def __post_init__(self) -> None:
        # Count the times the transport tells the writer to pause (its buffer went over the
        # limit): drain() waits only while the writer is paused.
        protocol = self.near.writer.transport.get_protocol()
        pause_writing = protocol.pause_writing

        def counted() -> None:
            self.pauses += 1
            pause_writing()

        protocol.pause_writing = counted  # type: ignore[method-assign]

        # Note the buffer after every write too, not only when the reader reads: the pile is
        # at its highest just after a write, and a reader's visits can miss that moment.
        transport = self.near.writer.transport
        write = transport.write

        def noted(data: bytes | bytearray | memoryview) -> None:
            write(data)
            self.note_buffer()

        transport.write = noted  # type: ignore[method-assign]

    def never_paused(self) -> str:
        """A hint for a buffer that went over its limit without the writer being paused."""
        if self.pauses or self.most_buffered <= HIGH_WATER:
            return ""
        return (
            " The buffer went over its limit, yet the writer was never paused, and drain() "
            "waits only while it is: on Python 3.12 and 3.13, writer.writelines() skips the "
            "check that write() makes. Send each chunk with writer.write()."
        )

    def note_buffer(self) -> None:
        buffered = self.near.writer.transport.get_write_buffer_size()
        self.most_buffered = max(self.most_buffered, buffered)

    async def read(self) -> None:
        await asyncio.sleep(self.start)
        while True:
            self.note_buffer()
            data = await self.far.reader.read(READ_SIZE)
            if not data:
                return
            self.received += data
            if self.hang_up_after is not None and len(self.received) >= self.hang_up_after:
                # Closing with bytes still unread resets the connection.
                self.far.writer.transport.abort()
                self.hung_up_at = asyncio.get_running_loop().time()
                return
            await asyncio.sleep(READ_GAP)


def from_writelines(error: BaseException | None) -> str:
    """A hint for an error that came out of asyncio's writelines()."""
    frame = error.__traceback__ if error is not None else None
    while frame is not None:
        if frame.tb_frame.f_code.co_name == "writelines":
            return (
                " That error came from writer.writelines(), which on Python 3.12 and 3.13 "
                "fails on a lost connection: send each chunk with writer.write()."
            )
        frame = frame.tb_next
    return ""


async def test_every_chunk_arrives_in_order(exercise):
    async with small_buffers() as (near, far):
        near.writer.transport.set_write_buffer_limits(high=HIGH_WATER)
        reader = SlowReader(near, far)
        reading = asyncio.create_task(reader.read())
        await exercise.send_all(near.writer, CHUNKS)
        near.writer.write_eof()
        await reading
    expected = b"".join(CHUNKS)
    assert reader.received == expected, (
        f"send_all sent 32 chunks of 8 KiB; the peer received {len(reader.received)} bytes, "
        f"{'in the right order' if expected.startswith(reader.received) else 'out of order'}. "
        "Every chunk must arrive, in order."
    )


@pytest.mark.parametrize(
    ("chunks", "start"),
    [(CHUNKS, READ_START), ([b"".join(CHUNKS)], READ_START), (CHUNKS, 612.5)],
    ids=[
        "32 chunks of 8 KiB",
        "one chunk of 256 KiB",
        "32 chunks of 8 KiB, the peer reading only after 612.5 s",
    ],
)
async def test_the_unsent_pile_stays_under_the_limit_while_the_reader_is_slow(
    exercise, clock, chunks, start
):
    largest = max(len(chunk) for chunk in chunks)
    sent = (
        f"send_all was given {len(chunks)} chunk{'s' if len(chunks) > 1 else ''} of "
        f"{largest // 1024} KiB, for a peer that began reading at t={start:g} s, then read "
        f"{READ_SIZE // 1024} KiB every {READ_GAP} s"
    )
    async with small_buffers() as (near, far):
        near.writer.transport.set_write_buffer_limits(high=HIGH_WATER)
        reader = SlowReader(near, far, start=start)
        reading = asyncio.create_task(reader.read())
        await exercise.send_all(near.writer, chunks)
        returned_at = clock.now
        left_at_return = near.writer.transport.get_write_buffer_size()
        reader.note_buffer()
        near.writer.write_eof()
        await reading
    # One write may take the pile over the limit by that write's size; drain then waits.
    assert reader.most_buffered <= HIGH_WATER + largest, (
        f"{sent}. Up to {reader.most_buffered // 1024} KiB waited in the writer's buffer; its "
        f"limit was {HIGH_WATER // 1024} KiB. write() never waits: after each write, "
        "`await writer.drain()` waits while the buffer is over its limit, however long the "
        f"peer takes: do not give up on drain after a while.{reader.never_paused()}"
    )
    assert returned_at >= start, (
        f"{sent}; send_all returned at t={returned_at:g} s, before the peer had read "
        "anything: 256 KiB cannot have gone anywhere but into memory."
    )
    assert left_at_return <= HIGH_WATER, (
        f"{sent}; when send_all returned, {left_at_return // 1024} KiB still waited in the "
        f"writer's buffer, over its {HIGH_WATER // 1024} KiB limit. Drain after each write, "
        "the last one too, not before it."
    )


async def test_a_peer_that_goes_away_makes_send_all_raise_connection_error(exercise, clock):
    async with small_buffers() as (near, far):
        near.writer.transport.set_write_buffer_limits(high=HIGH_WATER)
        reader = SlowReader(near, far, hang_up_after=READ_SIZE)
        reading = asyncio.create_task(reader.read())
        sending = asyncio.create_task(exercise.send_all(near.writer, CHUNKS))
        await asyncio.wait({sending}, timeout=60)
        ended_at = clock.now
        await reading
    raised_at_once = (
        sending.done()
        and isinstance(sending.exception(), ConnectionError)
        and ended_at == reader.hung_up_at
    )
    assert raised_at_once, (
        f"The peer read {READ_SIZE // 1024} KiB of the 256 KiB and went away at "
        f"t={reader.hung_up_at:g} s; send_all {task_outcome(sending)} (at t={ended_at:g} s). "
        f"Expected ConnectionError at t={reader.hung_up_at:g} s: `await writer.drain()` "
        "raises it once the "
        f"connection is lost, while write() just drops what it is given.{reader.never_paused()}"
    )


@pytest.mark.parametrize("count", [1, 2, 3])
async def test_a_peer_gone_before_a_short_send_makes_send_all_raise(exercise, clock, count):
    async with small_buffers() as (near, far):
        # Closing with bytes still unread resets the connection, and near reads the reset.
        near.writer.write(b"unread")
        await near.writer.drain()
        far.writer.transport.abort()
        with suppress(ConnectionError):
            await near.reader.read()
        sending = asyncio.create_task(exercise.send_all(near.writer, [b"late" * 256] * count))
        await asyncio.wait({sending}, timeout=60)
    error = sending.exception() if sending.done() else None
    assert isinstance(error, ConnectionError), (
        f"The peer had reset the connection; then send_all was asked to send {count} "
        f"chunk{'s' if count > 1 else ''} of 1 KiB, far below the buffer's limit, and "
        f"{task_outcome(sending)}. Expected ConnectionError: write() drops what it is given "
        "on a lost connection, and only `await writer.drain()` reports the loss, so drain "
        "after every write, the first and the last included, not only when the buffer is "
        f"full.{from_writelines(error)}"
    )


async def test_nothing_to_send_returns_at_once(exercise, clock):
    async with loopback() as (near, _):
        await exercise.send_all(near.writer, [])
    assert clock.now == 0
