"""Tests for exercises/08_streams/send_with_back_pressure.py.

The connection is real, with its buffers made small (the kernel's socket buffers, the
reader's and the writer's limit), so that a peer that reads slowly really holds the writer
back. How many bytes the kernel itself keeps varies by system; the assertions allow for it.
"""

import asyncio
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

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
    """Reads READ_SIZE bytes every READ_GAP s from READ_START on, noting the writer's buffer."""

    near: Stream
    far: Stream
    received: bytearray = field(default_factory=bytearray)
    most_buffered: int = 0
    hang_up_after: int | None = None
    hung_up_at: float | None = None

    def note_buffer(self) -> None:
        buffered = self.near.writer.transport.get_write_buffer_size()
        self.most_buffered = max(self.most_buffered, buffered)

    async def read(self) -> None:
        await asyncio.sleep(READ_START)
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


async def test_the_unsent_pile_stays_under_the_limit_while_the_reader_is_slow(exercise, clock):
    async with small_buffers() as (near, far):
        near.writer.transport.set_write_buffer_limits(high=HIGH_WATER)
        reader = SlowReader(near, far)
        reading = asyncio.create_task(reader.read())
        await exercise.send_all(near.writer, CHUNKS)
        returned_at = clock.now
        reader.note_buffer()
        near.writer.write_eof()
        await reading
    assert reader.most_buffered <= HIGH_WATER + CHUNK, (
        f"While the peer read {READ_SIZE // 1024} KiB every {READ_GAP} s, up to "
        f"{reader.most_buffered // 1024} KiB waited in the writer's buffer; its limit was "
        f"{HIGH_WATER // 1024} KiB. write() "
        "never waits: after each write, `await writer.drain()` waits while the buffer is over "
        "its limit."
    )
    assert returned_at >= READ_START, (
        f"send_all returned at t={returned_at:g} s, before the peer had read anything (it "
        f"starts at t={READ_START} s): 256 KiB cannot have gone anywhere but into memory."
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
        "connection is lost, while write() just drops what it is given."
    )


async def test_nothing_to_send_returns_at_once(exercise, clock):
    async with loopback() as (near, _):
        await exercise.send_all(near.writer, [])
    assert clock.now == 0
