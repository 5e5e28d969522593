"""Tests for exercises/07_async_iteration/countdown.py."""

import asyncio

import pytest


async def test_counts_down_to_one_waiting_the_interval_before_each_number(exercise, clock):
    got = [(n, clock.now) async for n in exercise.Countdown(3, 0.25)]
    assert got == [(3, 0.25), (2, 0.5), (1, 0.75)], (
        f"`async for n in Countdown(3, 0.25)` gave (number, time) {got}; expected 3 at "
        "t=0.25 s, 2 at t=0.5 s and 1 at t=0.75 s, then the end of the loop. Sleep the "
        "interval in __anext__ before returning each number; raise StopAsyncIteration after 1."
    )


async def test_countdown_from_zero_ends_at_once(exercise, clock):
    got = [n async for n in exercise.Countdown(0, 1.3)]
    assert (got, clock.now) == ([], 0), (
        f"Countdown(0, 1.3) gave {got!r} after {clock.now:g} s; expected nothing, at once."
    )


async def test_a_second_loop_carries_on_and_a_finished_countdown_stays_finished(exercise, clock):
    countdown = exercise.Countdown(4, 1.3)
    first = []
    async for n in countdown:
        first.append(n)
        if n == 3:
            break
    rest = [n async for n in countdown]
    again = [n async for n in countdown]
    assert (first, rest, again) == ([4, 3], [2, 1], []), (
        f"Looping over one Countdown(4, 1.3) three times (the first loop stopping after 3) "
        f"gave {first}, {rest} and {again}; expected [4, 3], [2, 1] and []. __aiter__ must "
        "return the countdown itself, not start a new count."
    )
    assert clock.now == 5.2, f"Four numbers took {clock.now:g} s, not 5.2 s."


async def test_anext_and_aiter_work_and_end_with_stop_async_iteration(exercise, clock):
    countdown = exercise.Countdown(2, 2.5)
    assert aiter(countdown) is countdown, "aiter(countdown) must return the countdown itself."
    got = [await anext(countdown), await anext(countdown)]
    assert got == [2, 1], f"Two `await anext(countdown)` on Countdown(2, 2.5) gave {got}."
    # Twice: a finished countdown stays finished. (No anext(countdown, default) here: with a
    # plain-method __anext__ that raises, a CPython bug, gh-131670, crashes the interpreter.)
    for _ in range(2):
        with pytest.raises(StopAsyncIteration):
            await anext(countdown)
    assert clock.now == 5, f"Two numbers 2.5 s apart took {clock.now:g} s; expected 5 s."


async def test_two_countdowns_run_side_by_side_without_sharing_their_count(exercise, clock):
    async def collect(countdown: object) -> list[tuple[int, float]]:
        return [(n, clock.now) async for n in countdown]

    slow, fast = await asyncio.gather(
        collect(exercise.Countdown(2, 1.3)), collect(exercise.Countdown(3, 0.25))
    )
    assert (slow, fast) == ([(2, 1.3), (1, 2.6)], [(3, 0.25), (2, 0.5), (1, 0.75)]), (
        f"Countdown(2, 1.3) and Countdown(3, 0.25), looped over at the same time, gave "
        f"{slow} and {fast}. Each countdown keeps its own count (set it on self in "
        "__init__), and waits with asyncio.sleep so that the other keeps running."
    )


async def test_a_cancelled_wait_does_not_use_up_a_number(exercise, clock):
    countdown = exercise.Countdown(3, 1.3)
    assert await anext(countdown) == 3
    waiting = asyncio.create_task(anext(countdown))
    await asyncio.sleep(0.25)
    waiting.cancel()
    await asyncio.wait([waiting])
    assert waiting.cancelled(), f"The cancelled anext() ended with {waiting!r}."
    rest = [n async for n in countdown]
    assert rest == [2, 1], (
        f"After 3, a wait for the next number was cancelled; the countdown then gave "
        f"{rest}. Expected [2, 1]: a cancelled wait hands out nothing and loses nothing. "
        "Count down only after the sleep, and let the cancellation stop the sleep itself: "
        "no asyncio.shield or background task that goes on and counts down anyway."
    )
    assert round(clock.now, 6) == 4.15, (
        f"The countdown ended at t={clock.now:g} s; expected 4.15 s: cancelled at 1.55 s, "
        "then a full 1.3 s wait for 2 and another for 1."
    )


async def test_each_call_waits_a_full_interval_however_long_the_loop_body_takes(exercise, clock):
    got = []
    async for n in exercise.Countdown(3, 0.37):
        got.append((n, round(clock.now, 6)))
        await asyncio.sleep(1.45)  # the loop body: slower than the interval
    assert got == [(3, 0.37), (2, 2.19), (1, 4.01)], (
        f"`async for` over Countdown(3, 0.37), with a loop body that takes 1.45 s, gave "
        f"(number, time) {got}; expected each number 0.37 s after the loop asked for it: "
        "(3, 0.37), (2, 2.19), (1, 4.01). The interval is a wait inside each __anext__ call, "
        "not a fixed schedule: a number the loop was too busy to take is not handed out early."
    )
