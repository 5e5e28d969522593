"""Tests for exercises/01_coroutines/overlap_two_waits.py."""

import asyncio
from collections.abc import Awaitable

import pytest

from grader.inside.testing import Timeline, set_order_of_new_tasks


class KitchenFire(Exception):
    """What a broken appliance raises."""


class FakeKitchen:
    """Boils and toasts on the virtual clock, recording each step on a timeline."""

    def __init__(self, boil_time: float = 3, toast_time: float = 2) -> None:
        self.boil_time = boil_time
        self.toast_time = toast_time
        self.broken: Exception | None = None
        self.broken_step = ""
        self.timeline = Timeline()

    async def boil_water(self) -> str:
        return await self._step("boil water", self.boil_time, "hot water")

    async def toast_bread(self) -> str:
        return await self._step("toast bread", self.toast_time, "toast")

    async def _step(self, label: str, seconds: float, result: str) -> str:
        async with self.timeline.track(label):
            await asyncio.sleep(seconds)
            if self.broken is not None and label == self.broken_step:
                # Only the first time: asked again, the step would work.
                broken, self.broken = self.broken, None
                raise broken
            return result


async def error_from(breakfast: Awaitable[object]) -> BaseException | None:
    """The one error `breakfast` fails with, looking inside an ExceptionGroup (a TaskGroup's)."""
    try:
        await breakfast
    except (Exception, BaseExceptionGroup) as raised:
        error: BaseException = raised
        while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
            error = error.exceptions[0]
        return error
    return None


async def test_breakfast_is_a_tuple_of_the_water_then_the_toast(exercise):
    kitchen = FakeKitchen()
    breakfast = await exercise.make_breakfast(kitchen.boil_water, kitchen.toast_bread)
    assert tuple(breakfast) == ("hot water", "toast"), (
        f"make_breakfast returned {breakfast!r}; expected ('hot water', 'toast'): what "
        "boil_water() returned, then what toast_bread() returned, no matter which is ready "
        "first. Take each result from its own step: asyncio.gather keeps argument order."
    )
    assert isinstance(breakfast, tuple), (
        f"make_breakfast returned the {type(breakfast).__name__} {breakfast!r}; expected the "
        "tuple ('hot water', 'toast') it promises. asyncio.gather returns a list: unpack it "
        "(water, toast = await asyncio.gather(...)) and return (water, toast)."
    )


async def test_the_water_comes_first_no_matter_which_step_is_ready_first(exercise):
    for boil_time, toast_time in [(3, 2), (2, 3)]:
        for set_order in ["creation", "reverse"]:
            kitchen = FakeKitchen(boil_time=boil_time, toast_time=toast_time)
            with set_order_of_new_tasks(set_order):
                breakfast = await exercise.make_breakfast(kitchen.boil_water, kitchen.toast_bread)
            assert tuple(breakfast) == ("hot water", "toast"), (
                f"With boiling taking {boil_time} s and toasting {toast_time} s, make_breakfast "
                f"returned {breakfast!r}; expected ('hot water', 'toast'), no matter which is "
                "ready first. Results taken in the order the steps finish, or read out of a "
                "set such as asyncio.wait's `done` (a set has no order), come out in any order. "
                "Take each result from its own step: asyncio.gather keeps the order of its "
                "arguments, and a task you kept gives its own task.result()."
            )


async def test_breakfast_is_ready_in_three_seconds_not_five(exercise, clock):
    kitchen = FakeKitchen(boil_time=3, toast_time=2)
    await exercise.make_breakfast(kitchen.boil_water, kitchen.toast_bread)
    assert clock.now == 3, kitchen.timeline.explain(
        f"Boiling (3 s) and toasting (2 s) took {clock.now:g} s of event-loop time "
        "together; expected 3 s, the time of the slower step.",
        "Awaiting a coroutine runs it to the end before the next line starts, and merely "
        "calling an async function starts nothing. Start both steps as tasks "
        "(asyncio.gather, asyncio.create_task or a TaskGroup), then wait for both.",
    )


# Either step failing, with errors of several kinds: the step's own error reaches the
# caller, and neither step is asked twice. The failing step is the slower one, so that
# nothing is left to clean up after it (the task promises no cancelling of the other).
@pytest.mark.parametrize(
    ("broken_step", "boil_time", "toast_time", "error_type", "message"),
    [
        ("boil water", 3, 2, KitchenFire, "the kettle blew a fuse"),
        ("toast bread", 1, 4, KitchenFire, "the toast is on fire"),
        ("boil water", 2.41, 1.13, ConnectionError, "the kettle lost its power"),
        ("toast bread", 1.45, 2.37, TimeoutError, "the toaster never popped"),
    ],
)
async def test_a_failed_step_fails_breakfast_with_its_error(
    exercise, clock, broken_step, boil_time, toast_time, error_type, message
):
    error = error_type(message)
    kitchen = FakeKitchen(boil_time=boil_time, toast_time=toast_time)
    kitchen.broken, kitchen.broken_step = error, broken_step
    raised = await error_from(exercise.make_breakfast(kitchen.boil_water, kitchen.toast_bread))
    situation = (
        f"With {broken_step} raising {error!r} after "
        f"{boil_time if broken_step == 'boil water' else toast_time:g} s (boiling takes "
        f"{boil_time:g} s, toasting {toast_time:g} s)"
    )
    assert raised is error, kitchen.timeline.explain(
        f"{situation}, make_breakfast {outcome(raised)}; expected it to raise that step's own "
        f"error, {error!r}.",
        "A failed step must reach the caller, and each step runs once: asking a failed step "
        "again hides its failure.",
    )
    labels = kitchen.timeline.labels()
    slower = max(boil_time, toast_time)
    assert (sorted(labels), clock.now <= slower) == (["boil water", "toast bread"], True), (
        kitchen.timeline.explain(
            f"{situation}, make_breakfast ran the steps {labels!r} and raised at "
            f"t={clock.now:g} s; expected each step to run once and the error by "
            f"t={slower:g} s, when the slower step is done.",
            "Run each step once and let its error through: a failed step is not asked again.",
        )
    )


def outcome(error: BaseException | None) -> str:
    return "returned normally" if error is None else f"raised {error!r}"


async def test_a_slow_kettle_is_waited_for_however_long_it_takes(exercise, clock):
    kitchen = FakeKitchen(boil_time=3540.3, toast_time=0.29)
    try:
        breakfast: object = await exercise.make_breakfast(kitchen.boil_water, kitchen.toast_bread)
    except Exception as error:  # e.g. InvalidStateError from reading an unfinished task
        breakfast = error
    assert (breakfast, clock.now) == (("hot water", "toast"), 3540.3), kitchen.timeline.explain(
        f"With boiling taking 3540.3 s and toasting 0.29 s, make_breakfast gave {breakfast!r} "
        f"at t={clock.now:g} s; expected ('hot water', 'toast') at t=3540.3 s.",
        "Breakfast waits for both steps, however long the slower one takes: wait for them "
        "(asyncio.gather) with no timeout to guess.",
    )


async def test_with_odd_times_breakfast_is_ready_the_instant_the_slower_step_is(exercise, clock):
    # Off-grid times, and either step the slower: a loop that checks now and then (every
    # 1, 0.5, 0.1 or 0.05 s) returns after the slower step, never at the same instant.
    for boil_time, toast_time in [(2.37, 1.45), (1.13, 2.29)]:
        kitchen = FakeKitchen(boil_time=boil_time, toast_time=toast_time)
        start = clock.now
        breakfast = await exercise.make_breakfast(kitchen.boil_water, kitchen.toast_bread)
        took = round(clock.now - start, 6)
        slower = max(boil_time, toast_time)
        assert (breakfast, took) == (("hot water", "toast"), slower), kitchen.timeline.explain(
            f"Boiling for {boil_time:g} s and toasting for {toast_time:g} s, make_breakfast "
            f"returned {breakfast!r} after {took:g} s; expected ('hot water', 'toast') after "
            f"{slower:g} s, the instant the slower step is done.",
            "Wait for the steps themselves (asyncio.gather), not for a clock that ticks every "
            "so often: checking now and then is late by up to one check.",
        )
