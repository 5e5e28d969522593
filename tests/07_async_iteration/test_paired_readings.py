"""Tests for exercises/07_async_iteration/paired_readings.py."""

import asyncio
from collections.abc import AsyncGenerator

import pytest

from grader.inside.testing import cancel_at_each_suspension

# Seconds a sensor takes to be given back, in the stream's `finally`.
RELEASE = 0.25


class Sensor:
    """A fake sensor whose stream yields `readings` one every `interval` seconds.

    The stream holds the sensor while it runs; its `finally` gives it back, which takes
    RELEASE seconds (cancelled half-way, it still counts as given back, at that moment).
    """

    def __init__(
        self, name: str, readings: list[float], interval: float, broken: bool = False
    ) -> None:
        self.name = name
        self.readings = readings
        self.interval = interval
        self.broken = broken
        self.taken = 0
        self.opened = False
        self.released_at: float | None = None
        self.raised: Exception | None = None

    async def stream(self) -> AsyncGenerator[float, None]:
        self.opened = True
        try:
            for reading in self.readings:
                await asyncio.sleep(self.interval)
                self.taken += 1
                yield reading
            if self.broken:
                self.raised = OSError(f"{self.name} sensor failed")
                raise self.raised
        finally:
            try:
                await asyncio.sleep(RELEASE)
            finally:
                self.released_at = asyncio.get_running_loop().time()

    def still_held(self) -> bool:
        return self.opened and self.released_at is None


def held(*sensors: Sensor) -> list[str]:
    return [sensor.name for sensor in sensors if sensor.still_held()]


CLOSE_THEM = (
    "A generator you stop reading keeps its sensor until it is closed: open each stream "
    "with `async with contextlib.aclosing(open_...()) as stream:`, which awaits its "
    "aclose() when the block ends."
)


async def test_the_first_n_pairs_come_back_and_both_sensors_are_back_on_return(exercise, clock):
    left = Sensor("left", [1.0, 2.0, 3.0, 2.0], interval=0.25)
    right = Sensor("right", [10.0, 20.0, 30.0, 20.0], interval=1.3)
    pairs = await exercise.first_pairs(left.stream, right.stream, 3)
    assert pairs == [(1.0, 10.0), (2.0, 20.0), (3.0, 30.0)], (
        f"first_pairs(left, right, 3) returned {pairs!r}; expected "
        "[(1.0, 10.0), (2.0, 20.0), (3.0, 30.0)]: one reading from each stream per pair."
    )
    assert (left.taken, right.taken) == (3, 3), (
        f"For three pairs, first_pairs took {left.taken} left and {right.taken} right "
        "readings; expected 3 each: don't read ahead."
    )
    assert not held(left, right), (
        f"first_pairs returned at t={clock.now:g} s while the {', '.join(held(left, right))} "
        f"sensor was still held. {CLOSE_THEM}"
    )


@pytest.mark.parametrize(("lefts", "rights"), [(2, 5), (5, 2), (0, 3)])
async def test_a_stream_that_ends_first_gives_fewer_pairs_and_both_are_closed(
    exercise, clock, lefts, rights
):
    left = Sensor("left", [float(n) for n in range(lefts)], interval=0.25)
    right = Sensor("right", [float(-n) for n in range(rights)], interval=1.3)
    pairs = await exercise.first_pairs(left.stream, right.stream, 4)
    expected = [(float(n), float(-n)) for n in range(min(lefts, rights))]
    assert pairs == expected, (
        f"With {lefts} left and {rights} right readings, first_pairs(..., 4) returned "
        f"{pairs!r}; expected {expected!r}: stop at the first StopAsyncIteration."
    )
    # Left first: when the left stream is the longer one, its reading for the pair that
    # never completes has been taken before the right stream turns out to be over.
    whole = len(expected)
    taken = (whole + (whole < 4 and lefts > whole), whole)
    assert (left.taken, right.taken) == taken, (
        f"With {lefts} left and {rights} right readings, first_pairs(..., 4) took "
        f"{left.taken} left and {right.taken} right readings; expected {taken[0]} and "
        f"{taken[1]}: each pair takes its left reading first, then its right one, and "
        "nothing is read once a stream has ended."
    )
    assert not held(left, right), (
        f"With {lefts} left and {rights} right readings, first_pairs returned while the "
        f"{', '.join(held(left, right))} sensor was still held: the stream that had not "
        f"ended must be closed too. {CLOSE_THEM}"
    )


async def test_asking_for_no_pairs_takes_no_reading(exercise, clock):
    left = Sensor("left", [1.0], interval=0.25)
    right = Sensor("right", [2.0], interval=0.25)
    pairs = await exercise.first_pairs(left.stream, right.stream, 0)
    assert (pairs, left.taken, right.taken) == ([], 0, 0), (
        f"first_pairs(..., 0) returned {pairs!r} after taking {left.taken} left and "
        f"{right.taken} right readings; expected [] without reading anything."
    )
    assert not held(left, right), f"After first_pairs(..., 0), {held(left, right)} were held."


async def test_a_failing_stream_raises_its_error_and_both_sensors_are_back(exercise, clock):
    left = Sensor("left", [1.0, 2.0, 3.0], interval=0.25)
    right = Sensor("right", [10.0], interval=1.3, broken=True)
    with pytest.raises(OSError, match="right sensor failed") as raised:
        await exercise.first_pairs(left.stream, right.stream, 3)
    assert raised.value is right.raised, (
        f"first_pairs raised {raised.value!r}; expected the stream's own error object."
    )
    assert not held(left, right), (
        f"The right stream failed, and first_pairs raised while the "
        f"{', '.join(held(left, right))} sensor was still held. {CLOSE_THEM}"
    )


async def test_cancelled_at_any_point_both_sensors_are_given_back(exercise, clock):
    async def scenario(start) -> tuple[Sensor, Sensor]:
        left = Sensor("left", [1.0, 2.0, 3.0], interval=0.25)
        right = Sensor("right", [10.0, 20.0, 30.0], interval=1.3)
        task = start(exercise.first_pairs(left.stream, right.stream, 2))
        await asyncio.wait([task], timeout=10)
        return left, right

    for run in await cancel_at_each_suspension(scenario):
        left, right = run.state
        assert run.ended_cancelled, (
            f"first_pairs was {run.describe()} and {run.ended}; expected it to end cancelled."
        )
        assert not held(left, right), (
            f"first_pairs was {run.describe()}; it ended with the "
            f"{', '.join(held(left, right))} sensor still held. {CLOSE_THEM}"
        )
