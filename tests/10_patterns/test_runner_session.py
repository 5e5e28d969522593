"""Tests for exercises/10_patterns/runner_session.py.

These tests are plain functions: run_steps is called from code with no event loop
running, as a script's entry point would be. The loop factory makes the kit's
virtual-clock loops (so a 1.3 s sleep costs no real time) and remembers each loop it
made. Coroutines handed in as steps but never run are closed by the test, so that their
"never awaited" warnings do not land on a later test.
"""

import asyncio
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from grader.inside.virtual_clock import VirtualClockLoop


class LoopFactory:
    """Makes virtual-clock loops and remembers them."""

    def __init__(self, task_order: str | None = None) -> None:
        self.loops: list[VirtualClockLoop] = []
        self.task_order = task_order

    def __call__(self) -> VirtualClockLoop:
        loop = VirtualClockLoop()
        if self.task_order == "creation":
            # A set of this loop's tasks lists them in the order they were created (see
            # grader.inside.testing.set_order_of_new_tasks), not sorted by luck.
            loop.task_hashes = itertools.cycle(range(8))
        self.loops.append(loop)
        return loop


@contextmanager
def closing_unrun(steps: list[Any]) -> Iterator[list[Any]]:
    try:
        yield steps
    finally:
        for step in steps:
            if asyncio.iscoroutine(step):
                step.close()


async def running_loop() -> asyncio.AbstractEventLoop:
    await asyncio.sleep(0.25)
    return asyncio.get_running_loop()


def loop_running_now() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread, if any."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def test_every_step_runs_in_order_on_one_loop(exercise):
    factory = LoopFactory()
    loops_while_plain: list[asyncio.AbstractEventLoop | None] = []

    def plain() -> int:
        loops_while_plain.append(loop_running_now())
        return 42

    with closing_unrun([running_loop(), plain, running_loop()]) as steps:
        report = exercise.run_steps(steps, factory)
    first, answer, last = report.results
    assert answer == 42, f"The plain function step returned 42; results held {answer!r}."
    assert loops_while_plain == [None], (
        "The plain function step was called while an event loop was running (from a "
        "coroutine run on the loop); expected it simply called by run_steps itself, "
        "between the coroutine steps, with no loop running. Only coroutines go to "
        "runner.run(); call a plain function directly: step()."
    )
    assert first is last, (
        "The first and the last step ran on different event loops; expected one loop for "
        "the whole script. asyncio.Runner keeps its loop open between runner.run() calls."
    )
    assert factory.loops == [first], (
        f"loop_factory made {len(factory.loops)} loops, and the steps ran on "
        f"{'one of them' if first in factory.loops else 'another loop'}; expected one loop, "
        "made by loop_factory (asyncio.Runner(loop_factory=loop_factory))."
    )
    assert first.is_closed(), "run_steps returned with its loop still open; close it."


def test_a_background_task_keeps_running_through_the_later_steps(exercise):
    factory = LoopFactory()
    ticks: list[float] = []
    started: list[asyncio.Task[None]] = []

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(0.25)
            ticks.append(asyncio.get_running_loop().time())

    async def start_heartbeat() -> str:
        started.append(asyncio.create_task(heartbeat(), name="heartbeat"))
        return "started"

    with closing_unrun([start_heartbeat(), asyncio.sleep(1.3, result="slept")]) as steps:
        report = exercise.run_steps(steps, factory)
    assert report.results == ["started", "slept"]
    assert ticks == [0.25, 0.5, 0.75, 1.0, 1.25], (
        f"A heartbeat task started by the first step ticked at {ticks} while the second "
        "step slept for 1.3 s; expected ticks at 0.25, 0.5, 0.75, 1.0 and 1.25 s. Every "
        "step must run on the same loop, so that tasks from earlier steps keep going."
    )
    assert report.still_running == ["heartbeat"], (
        f"still_running was {report.still_running}; expected ['heartbeat'], the one task "
        "left running after the last step. List them (asyncio.all_tasks(loop)) before "
        "the loop is closed."
    )
    assert started[0].cancelled(), "Closing the loop should have cancelled the heartbeat."


def test_still_running_lists_the_tasks_left_by_name_sorted(exercise):
    factory = LoopFactory(task_order="creation")
    started: list[asyncio.Task[Any]] = []

    async def start_tasks() -> None:
        for name in ("watcher", "heartbeat", "done-soon", "cleanup"):
            idle = asyncio.sleep(0.25) if name == "done-soon" else asyncio.Event().wait()
            started.append(asyncio.create_task(idle, name=name))

    with closing_unrun([start_tasks(), asyncio.sleep(1.3)]) as steps:
        report = exercise.run_steps(steps, factory)
    expected = ["cleanup", "heartbeat", "watcher"]
    assert report.still_running == expected, (
        "The first step started tasks named 'watcher', 'heartbeat', 'done-soon' (done at "
        f"t=0.25 s) and 'cleanup'; after the last step still_running was "
        f"{report.still_running}; expected {expected}: the names of the tasks still "
        "running, sorted (asyncio.all_tasks(loop) is a set, in no useful order)."
    )


def test_errors_nobody_can_catch_go_to_your_handler(exercise, caplog):
    factory = LoopFactory()
    late, early = KeyError("late callback"), ValueError("early callback")
    # Between the two, a report that carries a message and no error.
    notice = "a report with no error in it"

    def raising(error: Exception) -> Callable[[], None]:
        def callback() -> None:
            raise error

        return callback

    async def misbehave() -> str:
        loop = asyncio.get_running_loop()
        loop.call_later(0.25, raising(late))
        loop.call_later(0.13, loop.call_exception_handler, {"message": notice})
        loop.call_soon(raising(early))
        await asyncio.sleep(1.3)
        return "done"

    with closing_unrun([misbehave()]) as steps:
        report = exercise.run_steps(steps, factory)
    only_a_message = (
        " One report carried only a message, with no context['exception']: it is not an "
        "error, so nothing goes into complaints for it."
        if None in report.complaints
        else ""
    )
    assert report.complaints == [early, late], (
        f"Two callbacks raised {early!r} and then {late!r}; complaints held "
        f"{report.complaints!r}; expected those two errors, in that order. Install a "
        "handler with loop.set_exception_handler(handler): handler(loop, context) gets "
        "each one as context['exception']." + only_a_message
    )
    assert report.results == ["done"]
    logged = [
        message
        for record in caplog.records
        if record.name == "asyncio" and notice not in (message := record.getMessage())
    ]
    assert not logged, (
        f"The loop still logged {logged!r}. Your handler replaces the default one, which "
        "logs; keep each error in complaints instead of also passing it on to "
        "loop.default_exception_handler(context)."
    )


def test_a_failing_step_is_raised_and_the_rest_do_not_run(exercise):
    factory = LoopFactory()
    broken = RuntimeError("step 2 failed")
    ran: list[str] = []

    async def fail() -> None:
        await asyncio.sleep(0.25)
        raise broken

    def record() -> str:
        ran.append("step 3")
        return "step 3"

    with (
        closing_unrun([running_loop(), fail(), record]) as steps,
        pytest.raises(RuntimeError) as raised,
    ):
        exercise.run_steps(steps, factory)
    assert raised.value is broken, (
        f"The second step raised {broken!r}; run_steps raised {raised.value!r}; expected "
        "that very error."
    )
    assert ran == [], "After the second step failed, the third step still ran."
    assert all(loop.is_closed() for loop in factory.loops), (
        "run_steps raised the step's error but left its loop open; close it however the "
        "steps end (`with asyncio.Runner(...) as runner:`)."
    )


def test_the_same_function_twice_and_no_steps_at_all(exercise):
    calls: list[int] = []

    def count() -> int:
        calls.append(len(calls) + 1)
        return calls[-1]

    twice = exercise.run_steps([count, count], LoopFactory())
    empty = exercise.run_steps([], LoopFactory())
    assert (twice.results, empty.results, empty.still_running, empty.complaints) == (
        [1, 2],
        [],
        [],
        [],
    ), (
        f"run_steps([count, count]) gave results {twice.results} and run_steps([]) gave "
        f"{empty!r}; expected [1, 2], and an empty report."
    )
