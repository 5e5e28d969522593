"""Tests for exercises/10_patterns/watchdog.py.

The job sleeps through a list of gaps, calling progress() after each, and then either
returns a result object or goes quiet for good. Gaps and limits are odd numbers (0.25,
1.3, 1.5, 3.37 s) so that an answer that checks on the job now and then misses the moment.
"""

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import pytest

from grader.inside.testing import Starter, Timeline, cancel_at_each_suspension, task_outcome


class Job:
    """A job that reports progress after each gap, then returns or hangs."""

    def __init__(self, gaps: list[float], *, hang: bool = False, error: Exception | None = None):
        self.gaps = gaps
        self.hang = hang
        self.error = error
        self.result = object()
        self.timeline = Timeline()
        self.progress_at: list[float] = []

    async def __call__(self, progress: Callable[[], None]) -> object:
        loop = asyncio.get_running_loop()
        async with self.timeline.track("job"):
            for gap in self.gaps:
                await asyncio.sleep(gap)
                self.progress_at.append(round(loop.time(), 6))
                progress()
            if self.error is not None:
                raise self.error
            if self.hang:
                await asyncio.Event().wait()
            return self.result

    @property
    def outcome(self) -> str:
        return self.timeline.spans[0].outcome if self.timeline.spans else "never started"


async def timed_out_at(exercise: Any, job: Job, idle: float, deadline: float) -> float | None:
    """When supervise raised TimeoutError (rounded), or None if it returned."""
    try:
        await exercise.supervise(job, idle, deadline)
    except TimeoutError:
        return round(asyncio.get_running_loop().time(), 6)
    return None


async def test_a_job_that_keeps_making_progress_finishes(exercise, clock):
    job = Job([1.3, 1.3, 1.3, 0.25])
    result = await exercise.supervise(job, 1.5, 100)
    assert result is job.result, job.timeline.explain(
        f"supervise returned {result!r} at t={clock.now:g} s; expected the job's own "
        "result at t=4.15 s. Its progress came every 1.3 s at most, within idle=1.5 s.",
        "Each progress() call must push the idle timeout to 1.5 s after that call "
        "(watchdog.reschedule(loop.time() + idle)).",
    )


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [([], 1.5), ([0.25], 1.75), ([1.3, 1.3], 4.1), ([1.3, 0.25, 1.3], 4.35)],
)
async def test_a_job_that_goes_quiet_is_stopped_idle_seconds_after_its_last_progress(
    exercise, gaps, expected
):
    job = Job(gaps, hang=True)
    when = await timed_out_at(exercise, job, 1.5, 100)
    assert when == expected, job.timeline.explain(
        f"With progress at {job.progress_at} and then silence, supervise "
        f"{'returned' if when is None else f'timed out at t={when:g} s'}; expected "
        f"TimeoutError at t={expected:g} s, 1.5 s after the last sign of life.",
        "Count the idle time from the latest progress() call, not from the start or the "
        "previous deadline.",
    )
    assert job.outcome == "cancelled", f"the quiet job {job.outcome}; expected it cancelled."


async def test_the_deadline_stops_a_job_however_busy_it_is(exercise, clock):
    await asyncio.sleep(1)
    # Progress at t=1.3, 1.75, 1.95, 2.3, ..., 3.25, 3.6: the deadline falls between two.
    job = Job([0.3, 0.45, 0.2, 0.35] * 10)
    when = await timed_out_at(exercise, job, 1.5, deadline=3.37)
    assert when == 3.37, job.timeline.explain(
        f"A job making progress every 0.2 to 0.45 s, started at t=1 s with deadline=3.37, "
        f"{'finished' if when is None else f'timed out at t={when:g} s'}; expected "
        "TimeoutError at t=3.37 s, between two of its progress calls. `deadline` is a "
        "moment on the loop's clock, not a number of seconds from now, and it is kept "
        "whether or not the job calls progress().",
        "asyncio.timeout_at(deadline) gives up at that moment of loop.time().",
    )
    assert job.outcome == "cancelled", f"the job {job.outcome}; expected it cancelled."


async def test_a_deadline_already_past_stops_the_job_at_once(exercise, clock):
    await asyncio.sleep(1)
    job = Job([0.25], hang=True)
    when = await timed_out_at(exercise, job, 1.5, deadline=0.5)
    assert when == 1, job.timeline.explain(
        f"Started at t=1 s with deadline=0.5, supervise "
        f"{'returned' if when is None else f'timed out at t={when:g} s'}; expected "
        "TimeoutError at once, at t=1 s.",
        "asyncio.timeout_at(deadline) with a moment already past gives up at once.",
    )


@pytest.mark.parametrize("error", [ValueError("bad row"), TimeoutError("the job's own")])
async def test_the_job_s_own_error_comes_out_as_it_is(exercise, clock, error):
    job = Job([0.25, 1.3], error=error)
    with pytest.raises(type(error)) as raised:
        await exercise.supervise(job, 1.5, 100)
    assert raised.value is error, (
        f"The job raised {error!r} at t=1.55 s and supervise raised {raised.value!r}; "
        "expected that very error. Only a timeout of supervise's own is its TimeoutError."
    )
    assert clock.now == 1.55


async def test_cancelled_at_any_await_supervise_ends_cancelled_not_timed_out(exercise):
    async def supervise_a_job_that_goes_quiet(start: Starter) -> Job:
        job = Job([0.25, 1.3], hang=True)
        task = start(exercise.supervise(job, 1.5, 100))
        await asyncio.wait({task}, timeout=10)
        return job

    for run in await cancel_at_each_suspension(supervise_a_job_that_goes_quiet):
        job = run.state
        assert run.ended_cancelled, job.timeline.explain(
            f"supervise(job, idle=1.5, deadline=100) was {run.describe()}, and it "
            f"{run.ended}; expected it to end cancelled.",
            "A cancellation from outside is not a timeout: let the CancelledError through.",
        )
        assert job.outcome in ("cancelled", "never started"), job.timeline.explain(
            f"supervise was {run.describe()}, and afterwards the job {job.outcome}; "
            "expected it cancelled too.",
            "Run the job inside supervise (await it), so cancelling supervise cancels it.",
        )


# An outside cancel that lands in the same loop iteration as one of supervise's own limits:
# the idle limit (1.5 s after the progress at 0.25 s) or the deadline (2.37 s, between two
# progress calls). Scheduled before supervise sets its timers, or after: either order.
@pytest.mark.parametrize("order", ["cancel_scheduled_first", "cancel_scheduled_last"])
@pytest.mark.parametrize(
    ("limit", "gaps", "deadline", "at"),
    [("idle", [0.25], 100, 1.75), ("deadline", [0.3] * 10, 2.37, 2.37)],
    ids=["idle", "deadline"],
)
async def test_a_cancel_in_the_same_instant_as_a_limit_still_ends_cancelled(
    exercise, limit, gaps, deadline, at, order
):
    loop = asyncio.get_running_loop()
    job = Job(gaps, hang=True)
    task = asyncio.create_task(exercise.supervise(job, 1.5, deadline))
    if order == "cancel_scheduled_first":
        loop.call_at(at, task.cancel)
    else:
        loop.call_at(1.13, loop.call_at, at, task.cancel)
    await asyncio.wait({task}, timeout=10)
    outcome = task_outcome(task)
    assert task.cancelled(), job.timeline.explain(
        f"supervise(job, idle=1.5, deadline={deadline:g}) was cancelled from outside at "
        f"t={at:g} s, the very moment its {limit} limit ran out, and it {outcome}; expected "
        "it to end cancelled.",
        "A cancellation from outside wins over your own timeout, even in the same instant: "
        "turn the CancelledError into TimeoutError only if your limit is the only "
        "cancellation (task.uncancel() returns how many are left); asyncio.timeout and "
        "timeout_at do this for you.",
    )
    assert job.outcome == "cancelled", f"the job {job.outcome}; expected it cancelled."


@pytest.mark.parametrize(
    ("how", "gaps", "ending"),
    [
        ("returned", [0.25, 1.3], "return"),
        ("raised the job's ValueError", [0.25, 1.3], "error"),
        ("timed out for lack of progress", [0.25], "hang"),
        ("timed out at the deadline", [0.45, 0.3, 0.2] * 10, "return"),
    ],
    ids=["returned", "job-error", "idle-timeout", "deadline"],
)
async def test_once_supervise_is_over_it_leaves_its_caller_alone(
    exercise, clock, how, gaps, ending
):
    # Whichever way supervise ends, one of its limits (the deadline at 2.37 s, or idle
    # 1.5 s after the last progress) is still ahead; the caller then sleeps past both.
    job = Job(
        gaps, hang=ending == "hang", error=ValueError("bad row") if ending == "error" else None
    )

    async def caller() -> str:
        with contextlib.suppress(TimeoutError, ValueError):
            await exercise.supervise(job, 1.5, 2.37)
        ended = clock.now
        try:
            await asyncio.sleep(7.13)
        except asyncio.CancelledError:
            return (
                f"supervise(job, idle=1.5, deadline=2.37) {how} at t={ended:g} s, and "
                f"then at t={clock.now:g} s its caller was cancelled; expected the "
                "caller left alone once supervise is over."
            )
        left = asyncio.current_task().cancelling()  # type: ignore[union-attr]
        if left:
            return (
                f"supervise(job, idle=1.5, deadline=2.37) {how} at t={ended:g} s and left "
                f"its caller's task with {left} cancellation request(s) still counted "
                "(task.cancelling()); expected none: when you turn a cancellation of your "
                "own into TimeoutError, take it back with task.uncancel()."
            )
        return ""

    problem = await asyncio.create_task(caller())
    assert not problem, job.timeline.explain(
        problem,
        "A timer that cancels the caller's task must be called off however supervise "
        "ends (handle.cancel() in a `finally`); asyncio.timeout and timeout_at clean up "
        "after themselves.",
    )
