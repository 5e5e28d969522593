"""Tests for exercises/08_streams/read_frames.py."""

import asyncio

import pytest

from grader.inside.testing import loopback, send_script

PAYLOADS = [b"hi", b"", b"hi", b"bye"]


def framed(payloads: list[bytes]) -> bytes:
    """Each payload after its 4-byte big-endian length."""
    return b"".join(len(payload).to_bytes(4, "big") + payload for payload in payloads)


STREAM = framed(PAYLOADS)
# Offsets in STREAM where one message ends and the next begins (0 and the end included).
BOUNDARIES = [len(framed(PAYLOADS[:count])) for count in range(len(PAYLOADS) + 1)]


async def messages_from(exercise, script: list[tuple[float, bytes]]) -> list[bytes]:
    """What read_messages returns for a peer that plays `script`, then hangs up."""
    async with loopback() as (near, far):
        sender = asyncio.create_task(send_script(far.writer, script))
        try:
            return await exercise.read_messages(near.reader)
        finally:
            await sender


def not_bytes(messages: list[bytes]) -> str:
    """A note for a learner on the payloads in `messages` that are not bytes; "" if none."""
    wrong = [
        f"{index} ({type(message).__name__})"
        for index, message in enumerate(messages)
        if not isinstance(message, bytes)
    ]
    if not wrong:
        return ""
    return (
        f"read_messages returned payloads {', '.join(wrong)} that are not bytes: "
        "a bytearray compares equal to bytes, but it is mutable and unhashable. Return each "
        "payload as bytes, as readexactly gives it (or bytes(buffer))."
    )


async def test_messages_come_back_whole_and_in_order(exercise, clock):
    payloads = [b"hello", b"", b"hello", b"x" * 3000]
    messages = await messages_from(exercise, [(0.25, framed(payloads))])
    assert messages == payloads, (
        f"The peer sent four messages, {payloads!r} (abridged: {len(payloads[3])} x's), and "
        f"read_messages returned {messages!r:.120}; expected exactly those payloads in order."
    )
    assert not not_bytes(messages), not_bytes(messages)
    assert clock.now == 0.25, (
        f"The stream ended at t=0.25 s, and read_messages returned at t={clock.now:g} s."
    )


async def test_a_message_split_anywhere_is_read_whole(exercise, clock):
    for cut in range(1, len(STREAM)):
        start = clock.now
        # 2.5 s adds up exactly, run after run, on a floating-point clock.
        messages = await messages_from(exercise, [(0, STREAM[:cut]), (2.5, STREAM[cut:])])
        assert messages == PAYLOADS, (
            f"The stream {STREAM!r} arrived in two pieces, the second 2.5 s after the first "
            f"{cut} bytes, and read_messages returned {messages!r}; expected {PAYLOADS!r}. "
            "reader.read(n) returns what has arrived, up to n bytes; "
            "reader.readexactly(n) waits for all n."
        )
        assert not not_bytes(messages), f"Split after {cut} bytes: {not_bytes(messages)}"
        assert clock.now == start + 2.5, (
            f"The stream ended 2.5 s after the first piece, and read_messages returned "
            f"{clock.now - start:g} s after it."
        )


async def test_bytes_that_trickle_in_one_at_a_time_make_whole_messages(exercise, clock):
    script = [(0.25, STREAM[offset : offset + 1]) for offset in range(len(STREAM))]
    messages = await messages_from(exercise, script)
    assert messages == PAYLOADS, (
        f"The stream {STREAM!r} arrived one byte every 0.25 s, and read_messages returned "
        f"{messages!r}; expected {PAYLOADS!r}."
    )
    assert clock.now == 0.25 * len(STREAM), (
        f"The last byte arrived at t={0.25 * len(STREAM):g} s, and read_messages returned "
        f"at t={clock.now:g} s."
    )


async def test_a_stream_that_ends_between_messages_ends_normally(exercise):
    for count, boundary in enumerate(BOUNDARIES):
        messages = await messages_from(exercise, [(0.25, STREAM[:boundary])])
        assert messages == PAYLOADS[:count], (
            f"The peer sent {STREAM[:boundary]!r}, {count} whole message(s), then hung up, and "
            f"read_messages returned {messages!r}; expected {PAYLOADS[:count]!r}. The end of "
            "the stream between two messages is the normal end: readexactly(4) then raises "
            "IncompleteReadError with nothing in its `partial`."
        )


async def test_a_stream_cut_off_inside_a_message_raises_incomplete_read_error(exercise):
    for cut in sorted(set(range(1, len(STREAM))) - set(BOUNDARIES)):
        begun = max(boundary for boundary in BOUNDARIES if boundary < cut)
        header_end = begun + 4
        if cut < header_end:
            partial, expected = STREAM[begun:cut], 4
        else:
            partial, expected = STREAM[header_end:cut], int.from_bytes(STREAM[begun:header_end])
        try:
            messages = await messages_from(exercise, [(0.25, STREAM[:cut])])
        except asyncio.IncompleteReadError as raised:
            error = raised
        else:
            pytest.fail(
                f"The peer hung up {cut} bytes into {STREAM!r}, inside a message, and "
                f"read_messages returned {messages!r}; expected it to raise "
                "asyncio.IncompleteReadError. A message cut off is an error, not the end."
            )
        in_two_reads = (
            cut < header_end
            and len(error.partial) < len(partial)
            and partial.endswith(error.partial)
        )
        assert (error.partial, error.expected) == (partial, expected), (
            f"Cut off {cut} bytes into {STREAM!r}, read_messages raised IncompleteReadError "
            f"with partial={error.partial!r}, expected={error.expected}; expected "
            f"partial={partial!r}, expected={expected}, readexactly's own error about the "
            "piece that was cut off. Let it through unchanged."
            + (
                " The header was read in two goes, so the error tells only of the second: "
                "read each header with one readexactly(4), and its `partial` holds every "
                "header byte that arrived."
                if in_two_reads
                else ""
            )
        )


async def test_a_length_with_its_top_bit_set_is_a_large_unsigned_number(exercise):
    # 0x80000000 is 2 GiB unsigned, and a negative number if read as signed.
    header = b"\x80\x00\x00\x00"
    sent = f"The peer sent the header {header!r} and 3 payload bytes, then hung up; read_messages"
    unsigned = (
        'The length is an unsigned number: int.from_bytes(header, "big"), or struct\'s ">I", '
        'not ">i".'
    )
    try:
        messages = await messages_from(exercise, [(0.25, header + b"abc")])
    except asyncio.IncompleteReadError as raised:
        error = raised
    except Exception as raised:
        pytest.fail(
            f"{sent} raised {raised!r}; expected asyncio.IncompleteReadError with "
            f"partial=b'abc', expected={2**31}. {unsigned}"
        )
    else:
        pytest.fail(
            f"{sent} returned {messages!r}; expected asyncio.IncompleteReadError with "
            f"partial=b'abc', expected={2**31}: a message cut off is an error."
        )
    nudge = unsigned if isinstance(error.expected, int) else "Let readexactly's own error through."
    assert (error.partial, error.expected) == (b"abc", 2**31), (
        f"{sent} raised IncompleteReadError with partial={error.partial!r}, "
        f"expected={error.expected}; expected partial=b'abc', expected={2**31}. {nudge}"
    )
