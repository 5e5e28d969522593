"""cancel_at_each_suspension: one run per suspension point, each cancelled exactly there."""

from __future__ import annotations

import asyncio

import pytest

from grader.inside.testing import Starter, cancel_at_each_suspension


async def three_steps(log: list[str]) -> str:
    """Three 1.5-second steps, logging where a cancellation lands."""
    log.append("started")
    for step in range(3):
        try:
            await asyncio.sleep(1.5)
        except asyncio.CancelledError:
            log.append(f"cancelled in step {step}")
            raise
    return "done"


async def run_three_steps(start: Starter) -> list[str]:
    log: list[str] = []
    task = start(three_steps(log))
    await asyncio.wait({task}, timeout=10)
    return log


async def test_there_is_one_run_before_the_start_and_one_per_suspension():
    runs = await cancel_at_each_suspension(run_three_steps, when_woken=False)
    assert [run.point for run in runs] == [0, 1, 2, 3]
    assert {run.of for run in runs} == {3}


async def test_run_zero_cancels_the_task_before_its_body_runs():
    run = (await cancel_at_each_suspension(run_three_steps, when_woken=False))[0]
    assert run.state == []
    assert run.cancelled_at == 0
    assert run.ended_cancelled
    assert run.describe() == "cancelled before it started"


async def test_run_k_delivers_the_cancellation_at_the_kth_await(clock):
    runs = await cancel_at_each_suspension(run_three_steps, when_woken=False)
    for run in runs[1:]:
        step = run.point - 1
        assert run.state == ["started", f"cancelled in step {step}"]
        assert run.cancelled_at == 1.5 * step
        assert run.ended_cancelled


async def test_the_description_names_the_time_the_point_and_the_await():
    run = (await cancel_at_each_suspension(run_three_steps, when_woken=False))[2]
    assert run.describe().startswith(
        "cancelled at t=1.5 s of its run, at its 2nd suspension (of 3) at "
    )
    assert "await asyncio.sleep(1.5)" in run.describe()


async def test_a_task_that_swallows_the_cancellation_is_reported_as_it_ended():
    async def stubborn() -> str:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            return "carried on"
        return "finished"

    async def scenario(start: Starter) -> None:
        await asyncio.wait({start(stubborn())}, timeout=5)

    runs = await cancel_at_each_suspension(scenario, when_woken=False)
    assert [run.ended for run in runs] == ["ended cancelled", "returned 'carried on'"]
    assert not runs[1].ended_cancelled


async def lock_guarded(lock: asyncio.Lock, *, with_finally: bool) -> None:
    if with_finally:
        async with lock:
            await asyncio.sleep(0.25)
            await asyncio.sleep(1.3)
    else:
        await lock.acquire()
        await asyncio.sleep(0.25)
        await asyncio.sleep(1.3)
        lock.release()


@pytest.mark.parametrize(("with_finally", "leaks"), [(True, []), (False, [2, 3])])
async def test_cleanup_missing_at_some_points_shows_in_exactly_those_runs(with_finally, leaks):
    async def scenario(start: Starter) -> bool:
        lock = asyncio.Lock()
        async with lock:  # held at first, so the task's first suspension is waiting for it
            task = start(lock_guarded(lock, with_finally=with_finally))
            await asyncio.sleep(0.5)
        await asyncio.wait({task}, timeout=5)
        return lock.locked()

    runs = await cancel_at_each_suspension(scenario, when_woken=False)
    assert [run.point for run in runs] == [0, 1, 2, 3]
    assert [run.point for run in runs if run.state] == leaks
    assert all(run.ended_cancelled for run in runs)


async def test_suspensions_of_tasks_it_creates_are_not_counted():
    async def parent() -> None:
        await asyncio.gather(three_steps([]), three_steps([]))

    async def scenario(start: Starter) -> None:
        await asyncio.wait({start(parent())}, timeout=10)

    runs = await cancel_at_each_suspension(scenario, when_woken=False)
    assert [run.point for run in runs] == [0, 1]


async def test_with_more_suspensions_than_most_the_points_are_spread_first_to_last():
    async def busy() -> None:
        for _ in range(1000):
            await asyncio.sleep(0)

    async def scenario(start: Starter) -> None:
        await asyncio.wait({start(busy())}, timeout=1)

    runs = await cancel_at_each_suspension(scenario, most=10, when_woken=False)
    points = [run.point for run in runs]
    assert len(points) == 10
    assert points[0] == 0
    assert points[-1] == 1000
    assert points == sorted(set(points))
    with pytest.raises(ValueError, match="at least 2"):
        await cancel_at_each_suspension(scenario, most=1)


async def test_a_point_a_later_run_never_reaches_is_said_to_be_unreached():
    runs_so_far = [0]

    async def fewer_each_time() -> None:
        # Suspends twice in the counting run, once in every run after it.
        runs_so_far[0] += 1
        for _ in range(2 if runs_so_far[0] == 1 else 1):
            await asyncio.sleep(1)

    async def scenario(start: Starter) -> None:
        await asyncio.wait({start(fewer_each_time())}, timeout=5)

    last = (await cancel_at_each_suspension(scenario, when_woken=False))[-1]
    assert last.point == 2
    assert last.cancelled_at is None
    assert last.ended == "returned None"
    assert (
        last.describe()
        == "to be cancelled at its 2nd suspension (of 2), which this run never reached"
    )


async def test_a_task_still_running_when_the_scenario_returns_is_stopped_before_the_next_run():
    tasks: list[asyncio.Task[None]] = []

    async def forever() -> None:
        await asyncio.Event().wait()

    async def scenario(start: Starter) -> None:
        tasks.append(start(forever()))
        await asyncio.sleep(2.5)

    runs = await cancel_at_each_suspension(scenario, when_woken=False)
    assert [run.point for run in runs] == [0, 1]
    assert len(tasks) == 3
    assert all(task.cancelled() for task in tasks)


async def test_a_scenario_must_start_exactly_one_task():
    async def starts_none(start: Starter) -> None:
        await asyncio.sleep(0)

    async def starts_two(start: Starter) -> None:
        await asyncio.wait({start(asyncio.sleep(1)), start(asyncio.sleep(1))})

    with pytest.raises(RuntimeError, match="never called start"):
        await cancel_at_each_suspension(starts_none)
    with pytest.raises(RuntimeError, match="exactly one task"):
        await cancel_at_each_suspension(starts_two)


class Baton:
    """One baton handed from waiter to waiter through futures; `careful` passes it on."""

    def __init__(self, careful: bool) -> None:
        self.careful = careful
        self.free = True
        self.waiting: list[asyncio.Future[None]] = []

    async def take(self) -> None:
        if self.free:
            self.free = False
            return
        waiter = asyncio.get_running_loop().create_future()
        self.waiting.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and self.careful:
                self.give_back()  # handed the baton, but cancelled before it could use it
            raise

    def give_back(self) -> None:
        while self.waiting:
            waiter = self.waiting.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return
        self.free = True


def baton_scenario(careful: bool):
    """A holder gives the baton back at t=1; the task under test waits for it meanwhile."""

    async def scenario(start: Starter) -> bool:
        baton = Baton(careful)
        await baton.take()

        async def wait_for_baton() -> None:
            await baton.take()
            baton.give_back()

        task = start(wait_for_baton())
        await asyncio.sleep(1)
        baton.give_back()
        await asyncio.wait({task}, timeout=5)
        return baton.free  # the baton must be free again however the task ended

    return scenario


async def test_woken_runs_follow_the_others_and_cancel_once_what_was_awaited_came(clock):
    runs = await cancel_at_each_suspension(baton_scenario(careful=True), when_woken=True)
    assert [(run.point, run.woken) for run in runs] == [(0, False), (1, False), (1, True)]
    woken = runs[-1]
    assert woken.cancelled_at == 1
    assert woken.ended_cancelled
    assert woken.describe().startswith(
        "cancelled at t=1 s of its run, just as what it waited for at its 1st suspension (of 1) at "
    )
    assert all(run.state for run in runs), "the careful baton is lost in no run"


async def test_only_a_woken_run_shows_a_wakeup_lost_with_a_cancelled_task():
    runs = await cancel_at_each_suspension(baton_scenario(careful=False), when_woken=True)
    lost = [(run.point, run.woken) for run in runs if not run.state]
    assert lost == [(1, True)]


async def test_a_bare_yield_gets_no_woken_run():
    async def scenario(start: Starter) -> None:
        async def yields_once() -> None:
            await asyncio.sleep(0)

        await asyncio.wait({start(yields_once())}, timeout=1)

    runs = await cancel_at_each_suspension(scenario, when_woken=True)
    assert [(run.point, run.woken) for run in runs] == [(0, False), (1, False)]


async def test_a_wait_that_nothing_ends_gets_no_woken_run_and_woken_runs_are_the_default():
    async def scenario(start: Starter) -> None:
        never = asyncio.Event()
        task = start(never.wait())
        await asyncio.wait({task}, timeout=1)

    runs = await cancel_at_each_suspension(scenario)
    assert [(run.point, run.woken) for run in runs] == [(0, False), (1, False)]
    runs = await cancel_at_each_suspension(run_three_steps)
    assert [(run.point, run.woken) for run in runs][4:] == [(1, True), (2, True), (3, True)]
