"""Tests for exercises/06_queues/frame_buffer.py."""

import asyncio

import pytest

from grader.inside.testing import task_outcome


async def test_offered_frames_are_drained_oldest_first_repeats_included(exercise, clock):
    buffer = exercise.FrameBuffer(4)
    dropped = [buffer.offer(frame) for frame in ["f1", "f2", "f2", "f3"]]
    assert dropped == [None] * 4, (
        f"offer() of four frames into a buffer of 4 returned {dropped!r}; expected None each "
        "time: nothing has to be dropped while there is room."
    )
    frames = buffer.drain()
    assert frames == ["f1", "f2", "f2", "f3"], (
        f"drain() after offering f1, f2, f2, f3 returned {frames!r}; expected all four, "
        "oldest first, the repeated frame twice."
    )
    assert buffer.drain() == [], "drain() of an empty buffer must return [] without waiting."
    assert clock.now == 0


@pytest.mark.parametrize("capacity", [1, 3])
async def test_offer_on_a_full_buffer_drops_and_returns_the_oldest_frame(exercise, capacity):
    buffer = exercise.FrameBuffer(capacity)
    frames = [f"f{n}" for n in range(1, 7)]
    dropped = [buffer.offer(frame) for frame in frames]
    expected = [None] * capacity + frames[: len(frames) - capacity]
    assert dropped == expected, (
        f"Offering {frames} into a FrameBuffer({capacity}) returned {dropped!r}; expected "
        f"{expected!r}: once the buffer is full, each offer drops the oldest frame and "
        "returns it. Catch asyncio.QueueFull from put_nowait(), take the oldest out with "
        "get_nowait(), then add the new frame."
    )
    kept = buffer.drain()
    assert kept == frames[-capacity:], (
        f"After offering {frames} into a FrameBuffer({capacity}), drain() returned {kept!r}; "
        f"expected the newest {capacity}: {frames[-capacity:]!r}. The buffer must hold at "
        "most `capacity` frames: asyncio.Queue(maxsize=capacity)."
    )


async def test_put_waits_for_room_so_the_producer_keeps_the_uploaders_pace(exercise, clock):
    buffer = exercise.FrameBuffer(2)
    put_at: list[float] = []

    async def record() -> None:
        for n in range(5):
            await buffer.put(f"f{n}")
            put_at.append(clock.now)

    async def upload() -> list[str]:
        uploaded = []
        for _ in range(5):
            await asyncio.sleep(1.35)
            uploaded.append(await buffer.get())
        return uploaded

    recorder = asyncio.create_task(record())
    uploaded = await upload()
    await asyncio.wait([recorder], timeout=1)
    assert uploaded == [f"f{n}" for n in range(5)], (
        f"The uploader got {uploaded!r}; expected f0 to f4 in order: put() must not lose frames."
    )
    assert put_at == [0, 0, 1.35, 2.7, 4.05], (
        f"With room for 2 frames and one frame taken every 1.35 s, the five put() calls "
        f"returned at t = {put_at!r}; expected [0, 0, 1.35, 2.7, 4.05]: the first two fit, "
        "each later one waits until a frame is taken. A buffer without a limit never makes "
        "the producer wait (asyncio.Queue(maxsize=capacity)), and polling for room comes late."
    )


async def test_put_waits_for_room_however_long_the_uploader_takes(exercise, clock):
    buffer = exercise.FrameBuffer(1)
    buffer.offer("old")

    put_at: list[float] = []

    async def record() -> None:
        await buffer.put("new")
        put_at.append(clock.now)

    recorder = asyncio.create_task(record())
    # Ten minutes without an upload: longer than any time limit a put() might guess.
    await asyncio.sleep(612.5)
    first = await buffer.get()
    await asyncio.wait([recorder], timeout=1)
    outcome = f"returned at t={put_at[0]:g} s" if put_at else task_outcome(recorder)
    recorder.cancel()
    assert put_at == [612.5], (
        f"A put('new') waited for room in a full FrameBuffer(1); the uploader took a frame "
        f"at t=612.5 s, and the put() {outcome}. "
        "Expected it to return then: put() waits for room however long it takes, with no "
        "asyncio.wait_for or asyncio.timeout around the queue's put()."
    )
    frames = [first, *buffer.drain()]
    assert frames == ["old", "new"], f"The uploader got {frames!r}; expected ['old', 'new']."


async def test_waiting_uploaders_get_frames_the_moment_they_arrive(exercise, clock):
    buffer = exercise.FrameBuffer(3)
    uploaders = [asyncio.create_task(buffer.get()) for _ in range(3)]
    await asyncio.sleep(0.25)
    assert buffer.offer("a") is None
    await asyncio.sleep(1.05)
    await buffer.put("b")
    assert buffer.offer("c") is None
    done, _ = await asyncio.wait(uploaders, timeout=0)
    assert done == set(uploaders), (
        f"Three uploaders waited in get(); after offer('a') at t=0.25 s and put('b'), "
        f"offer('c') at t=1.3 s, {len(done)} of them had a frame. Each must get one at the "
        "moment it arrives."
    )
    got = [task.result() for task in uploaders]
    assert got == ["a", "b", "c"], f"The waiting uploaders got {got!r}; expected a, b, c."
    assert buffer.drain() == [], "The frames went to the uploaders: nothing should be left."


async def test_a_producer_cancelled_while_waiting_for_room_adds_nothing(exercise, clock):
    buffer = exercise.FrameBuffer(1)
    await buffer.put("kept")
    cancelled = asyncio.create_task(buffer.put("cancelled"))
    waiting = asyncio.create_task(buffer.put("next"))
    await asyncio.sleep(2.5)
    cancelled.cancel()
    await asyncio.wait([cancelled], timeout=1)
    assert task_outcome(cancelled) == "ended cancelled", (
        f"A put() cancelled while it waited for room {task_outcome(cancelled)}; expected it to "
        "end cancelled."
    )
    first = await buffer.get()
    for _ in range(3):  # a few passes of the loop: the waiting producer's turn, not a timer
        await asyncio.sleep(0)
    assert waiting.done(), (
        f"After a frame was taken at t={clock.now:g} s, the producer still waiting in put() "
        "did not get the room. A cancelled producer must not keep its place."
    )
    rest = buffer.drain()
    assert [first, *rest] == ["kept", "next"], (
        f"After put('kept'), a cancelled put('cancelled') and a waiting put('next'), the "
        f"uploader got {[first, *rest]!r}; expected ['kept', 'next']."
    )


async def test_draining_a_full_buffer_lets_a_waiting_producer_in_at_once(exercise, clock):
    buffer = exercise.FrameBuffer(2)
    buffer.offer("f1")
    buffer.offer("f2")
    producer = asyncio.create_task(buffer.put("f3"))
    await asyncio.sleep(1.45)
    drained = buffer.drain()
    for _ in range(3):  # a few passes of the loop: the waiting producer's turn, not a timer
        await asyncio.sleep(0)
    let_in = producer.done()
    producer.cancel()
    assert drained == ["f1", "f2"], f"drain() of a full buffer returned {drained!r}."
    assert let_in, (
        f"A producer waited in put('f3') on a full buffer; drain() at t={clock.now:g} s "
        "emptied it, yet the producer was still waiting. Take the frames out with the "
        "queue's own get_nowait(), which wakes a producer waiting for room; emptying the "
        "queue's insides (its _queue) behind its back wakes nobody."
    )
    assert buffer.drain() == ["f3"], "The producer's frame f3 should be in the buffer now."
