"""Tests for exercises/01_coroutines/schedule_callbacks.py."""

import asyncio

import pytest


class Notifier:
    """A plain `notify` that records when (on the loop's clock) each message arrived."""

    def __init__(self) -> None:
        self.fired: list[tuple[float, str]] = []

    def notify(self, message: str) -> None:
        self.fired.append((asyncio.get_running_loop().time(), message))


def shown(fired: list[tuple[float, str]]) -> str:
    return ", ".join(f"{message!r} at t={when:g}" for when, message in fired) or "nothing"


async def test_each_reminder_fires_after_its_own_delay(exercise):
    notifier = Notifier()
    # Delays under a second too, one of them tiny: only a delay of 0 is "straight away".
    reminders = [
        (3, "stretch"),
        (1, "drink water"),
        (0.37, "take a pill"),
        (2.5, "check the oven"),
        (0.013, "blink"),
        (1, "feed the cat"),
    ]
    exercise.schedule_reminders(reminders, notifier.notify)
    await asyncio.sleep(10)
    expected = sorted(reminders)
    assert sorted(notifier.fired) == expected, (
        f"The reminders fired as: {shown(notifier.fired)}; expected {shown(expected)} "
        "(the two at t=1 in either order). Each one is due its own delay after "
        "schedule_reminders was called, however short: loop.call_later(delay, ...) arranges "
        "exactly that."
    )


# Delays just under a hundredth of a second, under a millisecond, and a second and a bit:
# none of them is "now", and none is rounded to a tidier number.
@pytest.mark.parametrize("delay", [0.0093, 0.0047, 0.0004, 0.00023, 1.0004, 2.0371])
async def test_a_delay_however_small_or_odd_is_kept_exactly(exercise, clock, delay):
    notifier = Notifier()
    await asyncio.sleep(1.13)
    start = clock.now
    exercise.schedule_reminders([(delay, "tick"), (0, "now")], notifier.notify)
    await asyncio.sleep(3)
    # The loop's clock counts in microseconds; rounding to them undoes float noise.
    fired = [(round(when - start, 6), message) for when, message in notifier.fired]
    expected = [(0, "now"), (delay, "tick")]
    assert fired == expected, (
        f"schedule_reminders([({delay:g}, 'tick'), (0, 'now')], ...) at t={start:g}: the "
        f"reminders fired, in seconds after scheduling, as: {shown(fired)}; expected "
        f"{shown(expected)}. Only a delay of exactly 0 is straight away; any other delay, "
        "however small, is due that many seconds later, not rounded: pass it to "
        "loop.call_later(delay, ...) as it is."
    )


async def test_delays_count_from_when_the_reminders_were_scheduled(exercise):
    notifier = Notifier()
    await asyncio.sleep(10)
    exercise.schedule_reminders([(2, "stand up"), (0, "sit down")], notifier.notify)
    await asyncio.sleep(5)
    expected = [(10, "sit down"), (12, "stand up")]
    assert notifier.fired == expected, (
        f"Scheduled at t=10, the reminders fired as: {shown(notifier.fired)}; expected "
        f"{shown(expected)}. A delay counts from now; loop.call_at takes a moment on the "
        "loop's clock (loop.time() + delay), not a delay."
    )


async def test_nothing_fires_until_the_loop_gets_control_back(exercise):
    notifier = Notifier()
    exercise.schedule_reminders([(0, "right away"), (1, "in a second")], notifier.notify)
    assert notifier.fired == [], (
        f"schedule_reminders itself called notify: {shown(notifier.fired)}. It must only "
        "arrange the calls; the loop makes them once it gets control back. Pass the "
        "function and its argument separately, as in loop.call_soon(notify, message)."
    )
    await asyncio.sleep(2)
    expected = [(0, "right away"), (1, "in a second")]
    assert notifier.fired == expected, (
        f"The reminders fired as: {shown(notifier.fired)}; expected {shown(expected)}."
    )


async def test_a_zero_delay_reminder_fires_the_first_time_the_loop_gets_control(exercise):
    notifier = Notifier()
    exercise.schedule_reminders([(0, "now"), (0.5, "later")], notifier.notify)
    await asyncio.sleep(0)  # hands control to the loop once, for one pass
    assert notifier.fired == [(0, "now")], (
        "schedule_reminders([(0, 'now'), (0.5, 'later')], ...), then one "
        f"`await asyncio.sleep(0)`: by then the reminders fired were {shown(notifier.fired)}; "
        "expected 'now' at t=0. A delay of 0 is due the first time the loop gets control "
        "back: loop.call_soon(notify, message) queues it for that very pass, where a "
        "callback that only queues another one fires a pass later."
    )


async def test_zero_delay_reminders_fire_in_the_order_given(exercise):
    notifier = Notifier()
    messages = [f"note {n}" for n in range(8)]
    exercise.schedule_reminders([(0, message) for message in messages], notifier.notify)
    await asyncio.sleep(1)
    expected = [(0, message) for message in messages]
    assert notifier.fired == expected, (
        f"Eight reminders with delay 0 fired as: {shown(notifier.fired)}; expected notes "
        "0 to 7 in order, all at t=0. Timers due at the same instant (loop.call_later(0, "
        "...)) run in no promised order; loop.call_soon runs callbacks in the order given."
    )


async def test_a_cancelled_reminder_never_fires(exercise):
    notifier = Notifier()
    handles = exercise.schedule_reminders(
        [(1, "a"), (2, "b"), (3, "c"), (0, "d"), (4, "e")], notifier.notify
    )
    assert len(handles) == 5, (
        f"schedule_reminders returned {len(handles)} handles for 5 reminders; expected one "
        "per reminder, in the order given."
    )
    assert all(isinstance(handle, asyncio.Handle) for handle in handles), (
        f"schedule_reminders returned {handles!r}; expected asyncio.Handle objects, the "
        "handles loop.call_soon and loop.call_later give back for plain callbacks."
    )
    handles[1].cancel()
    handles[3].cancel()
    await asyncio.sleep(2.5)
    handles[2].cancel()  # before it is due at t=3
    handles[0].cancel()  # after it fired at t=1: too late, and harmless
    await asyncio.sleep(5)
    expected = [(1, "a"), (4, "e")]
    assert notifier.fired == expected, (
        f"After cancelling 'b' and 'd' at t=0 and 'c' at t=2.5, the reminders fired as: "
        f"{shown(notifier.fired)}; expected {shown(expected)}. Return each reminder's own "
        "handle, in the order of `reminders`, so that cancelling it stops that reminder."
    )


async def test_a_reminder_listed_twice_is_two_reminders(exercise):
    notifier = Notifier()
    reminders = [(1.3, "drink water"), (0, "blink"), (1.3, "drink water"), (0, "blink")]
    handles = exercise.schedule_reminders(reminders, notifier.notify)
    assert len(handles) == 4, (
        f"schedule_reminders({reminders!r}) returned {len(handles)} handles; expected 4, "
        "one per reminder. The same (delay, message) listed twice is two reminders: "
        "schedule each entry of `reminders`, without dropping repeats."
    )
    handles[2].cancel()  # the second 'drink water' only
    await asyncio.sleep(3)
    expected = [(0, "blink"), (0, "blink"), (1.3, "drink water")]
    assert notifier.fired == expected, (
        f"With {reminders!r} scheduled and the third handle cancelled, the reminders fired "
        f"as: {shown(notifier.fired)}; expected {shown(expected)}. Each entry is a reminder "
        "of its own, with a handle of its own: cancelling one leaves its twin alone."
    )
