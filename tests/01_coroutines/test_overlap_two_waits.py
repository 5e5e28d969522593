"""Tests for exercises/01_coroutines/overlap_two_waits.py."""

import asyncio
from collections.abc import Awaitable

from grader.testing import Timeline


class KitchenFire(Exception):
    """What a broken appliance raises."""


class FakeKitchen:
    """Boils and toasts on the virtual clock, recording each step on a timeline."""

    def __init__(self, boil_time: float = 3, toast_time: float = 2) -> None:
        self.boil_time = boil_time
        self.toast_time = toast_time
        self.broken: KitchenFire | None = None
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
                raise self.broken
            return result


async def error_from(breakfast: Awaitable[object]) -> BaseException | None:
    """The one error `breakfast` fails with, looking inside an ExceptionGroup (a TaskGroup's)."""
    try:
        await breakfast
    except (KitchenFire, BaseExceptionGroup) as raised:
        error: BaseException = raised
        while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
            error = error.exceptions[0]
        return error
    return None


async def test_breakfast_is_the_water_then_the_toast(exercise):
    kitchen = FakeKitchen()
    breakfast = await exercise.make_breakfast(kitchen.boil_water, kitchen.toast_bread)
    assert tuple(breakfast) == ("hot water", "toast"), (
        f"make_breakfast returned {breakfast!r}; expected ('hot water', 'toast'): what "
        "boil_water() returned, then what toast_bread() returned, whichever is ready first."
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


async def test_a_broken_kettle_fails_breakfast_with_its_error(exercise):
    kitchen = FakeKitchen(boil_time=3, toast_time=2)
    kitchen.broken, kitchen.broken_step = KitchenFire("the kettle blew a fuse"), "boil water"
    error = await error_from(exercise.make_breakfast(kitchen.boil_water, kitchen.toast_bread))
    assert error is kitchen.broken, (
        f"With a broken kettle, make_breakfast {outcome(error)}; expected it to raise the "
        f"kettle's own error, {kitchen.broken!r}. A failed step must reach the caller."
    )


async def test_burnt_toast_fails_breakfast_with_its_error(exercise):
    kitchen = FakeKitchen(boil_time=1, toast_time=4)
    kitchen.broken, kitchen.broken_step = KitchenFire("the toast is on fire"), "toast bread"
    error = await error_from(exercise.make_breakfast(kitchen.boil_water, kitchen.toast_bread))
    assert error is kitchen.broken, (
        f"With burning toast, make_breakfast {outcome(error)}; expected it to raise the "
        f"toaster's own error, {kitchen.broken!r}. A failed step must reach the caller."
    )


def outcome(error: BaseException | None) -> str:
    return "returned normally" if error is None else f"raised {error!r}"
