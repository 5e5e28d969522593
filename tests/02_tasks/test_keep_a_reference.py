"""Tests for exercises/02_tasks/keep_a_reference.py."""

import asyncio
from contextlib import suppress

import pytest

from grader.inside.testing import Timeline, task_outcome


class Work:
    """Makes background jobs that sleep on the virtual clock and record when they ran."""

    def __init__(self) -> None:
        self.timeline = Timeline()

    async def job(self, name: str, seconds: float, error: Exception | None = None) -> None:
        async with self.timeline.track(name):
            await asyncio.sleep(seconds)
            if error is not None:
                raise error

    def finished(self) -> list[str]:
        return [span.label for span in self.timeline.spans if span.end is not None]


def start_job(jobs, job):
    """Call jobs.start(job), closing the coroutine it never took if start() raises.

    Otherwise the unused coroutine would be reported as never awaited on top of the real
    failure, possibly in a later test, once the failure's traceback lets go of it.
    """
    try:
        return jobs.start(job)
    except BaseException:
        job.close()
        raise


def assert_finished_jobs_let_go(jobs, work: Work, how: str) -> None:
    """Fail, before anything waits on `jobs`, if a job that is over is still in self._tasks.

    wait_all waits while self._tasks is not empty, so a finished task left in it would keep
    wait_all going round for ever; this says why first.
    """
    kept = [task for task in jobs._tasks if task.done()]
    now = asyncio.get_running_loop().time()
    assert not kept, work.timeline.explain(
        f"At t={now:g} s, self._tasks still held {len(kept)} task(s) of jobs that had "
        f"{how}, so jobs.running is {jobs.running}, and wait_all would wait for them for ever.",
        "A task that failed or was cancelled is done too: drop it from self._tasks in the "
        "done-callback whatever its outcome, not only when it succeeded.",
    )


async def test_start_returns_at_once_and_the_jobs_run_side_by_side(exercise, clock):
    jobs, work = exercise.Jobs(), Work()
    for name in ("a", "b", "c"):
        start_job(jobs, work.job(name, 1))
    assert jobs.running == 3, (
        f"After three calls to jobs.start(...), jobs.running is {jobs.running}; expected 3. "
        "start() must keep each task in self._tasks: asyncio.create_task(job), then add the "
        "task to the set."
    )
    await jobs.wait_all()
    assert clock.now == 1, work.timeline.explain(
        f"Three one-second jobs were started and jobs.wait_all() returned at t={clock.now:g} s; "
        "expected t=1 s.",
        "wait_all() waits for the tasks in self._tasks, so every task must be in it while it "
        "runs, and the jobs must run as tasks, side by side.",
    )
    assert sorted(work.finished()) == ["a", "b", "c"], work.timeline.explain(
        f"When jobs.wait_all() returned, only {work.finished()} of the jobs a, b, c had finished.",
        "Every job must be running as a task from the moment start() returns.",
    )


async def test_the_task_start_returns_is_held_in_self_tasks_while_it_runs(exercise):
    jobs, work = exercise.Jobs(), Work()
    task = start_job(jobs, work.job("2 s job", 2))
    await asyncio.sleep(1)
    held = any(item is task for item in jobs._tasks)
    kinds = sorted(type(item).__name__ for item in jobs._tasks)
    await asyncio.sleep(1.5)  # the job is over at t=2 s, whatever start() did
    assert held, (
        "jobs.start(job) returned a task; one second later, while that task was still "
        f"running, self._tasks did not hold it (it held: {kinds or 'nothing'}). The loop keeps "
        "only a weak reference to a task, and so does a weakref.ref: put the task object "
        "itself in self._tasks, which is what keeps it alive."
    )


async def test_a_job_is_let_go_as_soon_as_it_is_done(exercise):
    jobs, work = exercise.Jobs(), Work()
    for name, seconds in (("1 s job", 1), ("2 s job", 2), ("3 s job", 3)):
        start_job(jobs, work.job(name, seconds))
    await asyncio.sleep(1.5)
    assert jobs.running == 2, work.timeline.explain(
        f"At t=1.5 s one of the three jobs had finished, but jobs.running is {jobs.running}; "
        "expected 2.",
        "Drop a task from self._tasks as soon as it is done: task.add_done_callback(...) "
        "calls your function with the task when it finishes.",
    )
    await asyncio.sleep(2)
    assert jobs.running == 0, work.timeline.explain(
        f"At t=3.5 s every job had finished, but jobs.running is {jobs.running}; expected 0.",
        "A finished task must leave self._tasks, or the set grows for ever.",
    )


async def test_a_failed_job_s_error_is_raised_by_wait_all(exercise):
    jobs, work = exercise.Jobs(), Work()
    # Not a ValueError, unlike the other tests: a job can fail with any error.
    error = LookupError("job 7 lost its input")
    start_job(jobs, work.job("fails at 1 s", 1, error))
    start_job(jobs, work.job("2 s job", 2))
    await asyncio.sleep(3)  # the failed task has been dropped from the set long ago
    assert_finished_jobs_let_go(jobs, work, "failed")
    try:
        await jobs.wait_all()
    except Exception as raised:
        got = f"raised {raised!r}" if raised is not error else ""
    else:
        got = "returned normally"
    assert not got, (
        f"A job failed with {error!r} at t=1 s, and jobs.wait_all() {got}; expected it to "
        "raise that very error. Keep every error a job raises, whatever its type: "
        "task.exception() in a done-callback gives it to you."
    )
    assert jobs.running == 0, (
        f"After every job had finished, jobs.running is {jobs.running}; expected 0."
    )


async def test_when_several_jobs_fail_wait_all_raises_the_first_failure(exercise):
    jobs, work = exercise.Jobs(), Work()
    first, second = TimeoutError("job 1 timed out first"), ValueError("job 2 broke second")
    start_job(jobs, work.job("fails at 2 s", 2, second))
    start_job(jobs, work.job("fails at 1 s", 1, first))
    await asyncio.sleep(2.5)  # both jobs have failed; wait_all has not yet read self._errors
    assert_finished_jobs_let_go(jobs, work, "failed")
    kept = list(jobs._errors)
    # An exception is equal only to itself: this checks for the very objects, in order.
    assert kept == [first, second], work.timeline.explain(
        f"Two jobs failed, with {first!r} at t=1 s and then {second!r} at t=2 s; at t=2.5 s "
        f"self._errors held {kept!r}; expected both errors, in the order the jobs failed.",
        "Keep every error: append each failed task's own task.exception() to self._errors "
        "when it finishes, not only the first one.",
    )
    try:
        await jobs.wait_all()
    except Exception as raised:
        error: Exception | None = raised
    else:
        error = None
    got = "returned normally" if error is None else f"raised {error!r}"
    assert error is first, work.timeline.explain(
        f"Two jobs failed, the one started second at t=1 s with {first!r} and the one "
        f"started first at t=2 s with a ValueError, and jobs.wait_all() {got}; expected "
        f"{first!r}, the error of the first job to fail, whatever its type.",
        "Keep every error, whatever its type: append it to the end of self._errors when "
        "its task finishes, so that self._errors[0] is the earliest failure.",
    )


async def test_a_cancelled_job_is_not_an_error(exercise, clock):
    jobs, work = exercise.Jobs(), Work()
    doomed = start_job(jobs, work.job("cancelled at 0.5 s", 5))
    start_job(jobs, work.job("1 s job", 1))
    await asyncio.sleep(0.5)
    doomed.cancel()
    await asyncio.sleep(0.25)  # the cancelled job has stopped; the other runs until t=1 s
    assert_finished_jobs_let_go(jobs, work, "been cancelled")
    try:
        await jobs.wait_all()  # must return normally: nobody failed
    except asyncio.CancelledError:
        pytest.fail(
            "One job was cancelled and the other finished, and jobs.wait_all() raised "
            "CancelledError: the cancelled job was kept as a failure. A cancelled job did not "
            "fail, so keep no error for it: in the done-callback, check task.cancelled() "
            "first (task.exception() raises CancelledError for a cancelled task)."
        )
    assert (clock.now, jobs.running) == (1, 0), work.timeline.explain(
        f"After cancelling one job, jobs.wait_all() returned at t={clock.now:g} s with "
        f"jobs.running == {jobs.running}; expected t=1 s and 0.",
        "A cancelled task is done too: drop it from self._tasks like any other.",
    )


async def fails_in_its_cleanup(work: Work, error: Exception) -> None:
    """A job that, cancelled, fails while it cleans up."""
    async with work.timeline.track("fails in its cleanup"):
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            await asyncio.sleep(0.37)
            raise error from None


async def refuses_the_cancel_then_fails(work: Work, error: Exception) -> None:
    """A job that, cancelled, carries on regardless and fails later."""
    async with work.timeline.track("refuses the cancel, then fails"):
        with suppress(asyncio.CancelledError):  # carries on: its task is not cancelled
            await asyncio.sleep(5)
        await asyncio.sleep(1.13)
        raise error


# Asked to stop, a job may still fail: in its cleanup, or later, having refused the cancel.
# Its task ends with an error, not cancelled, so it failed.
@pytest.mark.parametrize("job", [fails_in_its_cleanup, refuses_the_cancel_then_fails])
async def test_a_job_that_raises_after_a_cancel_did_fail(exercise, job):
    jobs, work = exercise.Jobs(), Work()
    error = ValueError("could not close the file")
    task = start_job(jobs, job(work, error))
    await asyncio.sleep(0.5)
    task.cancel()
    await asyncio.sleep(2)  # the job has failed by t=2.5 s
    assert_finished_jobs_let_go(jobs, work, "failed")
    kept = list(jobs._errors)
    assert kept == [error], work.timeline.explain(
        f"A job was cancelled at t=0.5 s and then raised {error!r} instead of stopping "
        f"({job.__doc__}); its task {task_outcome(task)}, and self._errors held {kept!r}; "
        f"expected [{error!r}].",
        "What counts is how the task ended, not whether someone asked it to stop: "
        "task.cancelled() is True only for a task that ended cancelled. A task that ended "
        "with an error failed, even after a cancel(): keep its task.exception().",
    )
    with pytest.raises(ValueError, match="could not close the file"):
        await jobs.wait_all()


async def test_the_task_start_returns_is_the_job_s_own_with_its_own_outcome(exercise):
    jobs, work = exercise.Jobs(), Work()
    error = ValueError("job 3 broke")
    failing = start_job(jobs, work.job("fails at 1.3 s", 1.3, error))
    fine = start_job(jobs, work.job("0.25 s job", 0.25))
    await asyncio.sleep(1.5)
    assert_finished_jobs_let_go(jobs, work, "failed")
    with pytest.raises(ValueError, match="job 3 broke"):
        await jobs.wait_all()
    outcomes = {"failing": failing.exception(), "fine": fine.exception()}
    assert outcomes == {"failing": error, "fine": None}, (
        "jobs.start(job) must return the task that runs `job` itself. After a job raised "
        f"{error!r} and another finished, the tasks start() returned held the errors "
        f"{outcomes}; expected the failing job's own error on its task, and none on the other. "
        "A task wrapped around the job that catches its error hides it from whoever holds "
        "the task: wrap the job itself (asyncio.create_task(job)) and collect errors in a "
        "done-callback."
    )
    assert outcomes["failing"] is error, "The failed job's task must hold its own error object."


async def test_two_jobs_failing_with_the_same_error_are_two_failures(exercise):
    jobs, work = exercise.Jobs(), Work()
    # Two jobs that share one connection fail with the very same error object.
    shared = ConnectionError("the database is down")
    start_job(jobs, work.job("fails at 0.25 s", 0.25, shared))
    start_job(jobs, work.job("fails at 1.3 s", 1.3, shared))
    await asyncio.sleep(2)
    kept = list(jobs._errors)
    # An exception is equal only to itself: this checks for that very object, twice.
    assert kept == [shared, shared], work.timeline.explain(
        f"Two jobs failed with the same error object, {shared!r}, at t=0.25 s and t=1.3 s; "
        f"self._errors held {kept!r}; expected it twice, once for each job that failed.",
        "Append each failed job's error when its task finishes, without checking whether "
        "it is already there: every failure counts.",
    )
    with pytest.raises(ConnectionError):
        await jobs.wait_all()
