"""Tests for exercises/06_queues/urgent_first.py."""

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from grader.inside.testing import Timeline, cancel_at_each_suspension, task_outcome


class Jobs:
    """Makes named jobs that take a given time of virtual time and record when they ran."""

    def __init__(self) -> None:
        self.timeline = Timeline()
        self.raised: list[Exception] = []

    def job(
        self, name: str, seconds: float = 0.25, fails: bool = False
    ) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            async with self.timeline.track(name):
                await asyncio.sleep(seconds)
                if fails:
                    self.raised.append(ValueError(f"job {name} failed"))
                    raise self.raised[-1]

        return run

    def order(self) -> list[str]:
        return self.timeline.labels()


async def stop(worker: asyncio.Task[None]) -> None:
    worker.cancel()
    await asyncio.wait([worker], timeout=1)


async def test_waiting_jobs_run_most_urgent_first_and_ties_in_submission_order(exercise, clock):
    dispatcher, jobs = exercise.Dispatcher(), Jobs()
    again = jobs.job("b")
    submitted = [(2, "a"), (1, "b"), (2, "c"), (1, "d"), (3, "e"), (2, "f"), (1, "b")]
    for priority, name in submitted:
        dispatcher.submit(priority, again if name == "b" else jobs.job(name))
    worker = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(10)
    await stop(worker)
    assert jobs.order() == ["b", "d", "b", "a", "c", "f", "e"], jobs.timeline.explain(
        f"Jobs submitted as (priority, job) {submitted} ran in the order {jobs.order()}; "
        "expected ['b', 'd', 'b', 'a', 'c', 'f', 'e']: lowest priority number first, and "
        "jobs of equal priority in the order they were submitted.",
        "Queue them on an asyncio.PriorityQueue as (priority, submission number, job): "
        "the number keeps the order of equal priorities and never lets two jobs be compared.",
    )
    assert [span.start for span in jobs.timeline.spans] == [n * 0.25 for n in range(7)], (
        jobs.timeline.explain(
            "The jobs did not run back to back.", "Start the next job as soon as one ends."
        )
    )


async def test_a_tie_submitted_while_jobs_run_still_waits_for_the_earlier_one(exercise, clock):
    dispatcher, jobs = exercise.Dispatcher(), Jobs()
    dispatcher.submit(0, jobs.job("x", seconds=1.3))
    dispatcher.submit(0, jobs.job("y"))
    dispatcher.submit(1, jobs.job("a"))
    worker = asyncio.create_task(dispatcher.run())
    # x has been taken and y is running: the queue holds fewer jobs than were ever submitted.
    await asyncio.sleep(1.45)
    dispatcher.submit(1, jobs.job("b"))
    await asyncio.sleep(5)
    await stop(worker)
    assert jobs.order() == ["x", "y", "a", "b"], jobs.timeline.explain(
        "x (priority 0), y (0) and a (1) were submitted at t=0 s, and b (1) at t=1.45 s "
        f"while y ran; they ran as {jobs.order()}. Expected x, y, a, b: a was submitted "
        "before b with the same priority.",
        "Number the submissions with a counter that only ever rises (one the dispatcher "
        "keeps): the queue's size shrinks as jobs are taken, so it can give a later job "
        "a smaller number.",
    )


@pytest.mark.parametrize(
    "others_at",
    [0.25, 0],
    ids=["others_submitted_while_the_first_runs", "all_waiting_before_the_worker_starts"],
)
async def test_an_urgent_job_submitted_later_overtakes_the_waiting_ones(exercise, clock, others_at):
    dispatcher, jobs = exercise.Dispatcher(), Jobs()
    dispatcher.submit(5, jobs.job("slow", seconds=1.3))
    if others_at == 0:
        # All three wait together before the worker takes any: a worker that takes the whole
        # lot and runs it in one sorted batch is caught out by the urgent one coming later.
        dispatcher.submit(5, jobs.job("routine"))
        dispatcher.submit(9, jobs.job("later"))
    worker = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(others_at)
    if others_at:
        dispatcher.submit(5, jobs.job("routine"))
        dispatcher.submit(9, jobs.job("later"))
    await asyncio.sleep(0.5 - others_at)
    dispatcher.submit(0, jobs.job("urgent"))
    await asyncio.sleep(5)
    await stop(worker)
    starts = {span.label: span.start for span in jobs.timeline.spans}
    assert jobs.order() == ["slow", "urgent", "routine", "later"], jobs.timeline.explain(
        f"'slow' (priority 5) was submitted at t=0 s, 'routine' (5) and 'later' (9) at "
        f"t={others_at:g} s, and 'urgent' (0) at t=0.5 s while slow ran; they ran as "
        f"{jobs.order()}. Expected slow, urgent, routine, later: a running job finishes, "
        "then the most urgent job waiting at that moment.",
        "Take the next job from a PriorityQueue each time the worker is free, one at a "
        "time: a batch taken and sorted earlier misses the jobs submitted since.",
    )
    assert starts == {"slow": 0, "urgent": 1.3, "routine": 1.55, "later": 1.8}, (
        jobs.timeline.explain(
            f"The jobs started at {starts}.", "Start each job as soon as the one before ends."
        )
    )


async def test_an_idle_worker_starts_a_job_the_moment_it_is_submitted(exercise, clock):
    dispatcher, jobs = exercise.Dispatcher(), Jobs()
    worker = asyncio.create_task(dispatcher.run())
    for at, name in [(1.35, "x"), (2.55, "y"), (2.55, "z")]:
        await asyncio.sleep(at - clock.now)
        dispatcher.submit(1, jobs.job(name, seconds=0))
    await asyncio.sleep(1)
    await stop(worker)
    starts = [(span.label, span.start) for span in jobs.timeline.spans]
    assert starts == [("x", 1.35), ("y", 2.55), ("z", 2.55)], (
        f"Jobs submitted to an idle worker at t = 1.35, 2.55 and 2.55 s started as {starts}; "
        "expected each at the moment it was submitted. Wait on the queue's get(), don't poll."
    )


async def test_a_slow_job_is_run_to_its_end_however_long_it_takes(exercise, clock):
    dispatcher, jobs = exercise.Dispatcher(), Jobs()
    dispatcher.submit(1, jobs.job("slow", seconds=612.5))
    dispatcher.submit(2, jobs.job("next", seconds=0.29))
    worker = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(615)
    await stop(worker)
    ran = [(span.label, span.start, span.end, span.outcome) for span in jobs.timeline.spans]
    assert ran == [("slow", 0, 612.5, "done"), ("next", 612.5, 612.79, "done")], (
        jobs.timeline.explain(
            f"A job taking 612.5 s and then a 0.29 s one ran as (job, start, end, outcome) "
            f"{ran}, with dispatcher.errors {dispatcher.errors!r}; expected the slow job to "
            "run to its end and the next to start then.",
            "The task sets no time limit: `await job()` however long it takes, without "
            "asyncio.wait_for or asyncio.timeout around it.",
        )
    )
    assert dispatcher.errors == [], (
        f"No job raised, yet dispatcher.errors is {dispatcher.errors!r}."
    )


async def test_a_failing_job_is_recorded_and_the_worker_carries_on(exercise, clock):
    dispatcher, jobs = exercise.Dispatcher(), Jobs()
    dispatcher.submit(1, jobs.job("bad", fails=True))
    dispatcher.submit(2, jobs.job("good"))
    worker = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(3)
    outcome = task_outcome(worker)
    await stop(worker)
    assert outcome == "was still running", (
        f"After a job raised, the worker {outcome}; expected it to keep running."
    )
    assert jobs.order() == ["bad", "good"], f"The jobs ran as {jobs.order()}; expected bad, good."
    assert [id(error) for error in dispatcher.errors] == [id(jobs.raised[0])], (
        f"Job 'bad' raised {jobs.raised[0]!r}, and dispatcher.errors is {dispatcher.errors!r}; "
        "expected a list holding exactly that error object."
    )


async def test_cancelled_at_any_point_the_worker_cancels_its_job_and_ends_cancelled(
    exercise, clock
):
    async def scenario(start) -> tuple[Jobs, list[str]]:
        dispatcher, jobs = exercise.Dispatcher(), Jobs()
        dispatcher.submit(1, jobs.job("first", seconds=0.5))
        dispatcher.submit(1, jobs.job("second", seconds=1.3))
        worker = start(dispatcher.run())
        await asyncio.wait([worker], timeout=2.5)
        # Read now, when the worker has ended: a job left running on its own ends later.
        running = [span.label for span in jobs.timeline.spans if span.outcome == "running"]
        return jobs, running

    for run in await cancel_at_each_suspension(scenario):
        jobs, running = run.state
        assert run.ended_cancelled, (
            f"The worker was {run.describe()} and {run.ended}; expected it to end cancelled. "
            "Catch only Exception around a job: asyncio.CancelledError must leave run()."
        )
        assert not running, jobs.timeline.explain(
            f"The worker was {run.describe()}; it had ended, but job {running[0]!r} was "
            "still running.",
            "Run the job inside the worker task (`await job()`), so the cancellation reaches "
            "it: a job started as a task of its own is not cancelled with the worker.",
        )
