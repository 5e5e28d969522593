"""Tests for exercises/05_exceptions/cleanup_on_cancel.py."""

import asyncio

import pytest

from grader.inside.testing import Span, Starter, Timeline, cancel_at_each_suspension, task_outcome


class FakePool:
    """Lends connections conn-1, conn-2, ... and records on a timeline how long each is out."""

    def __init__(self) -> None:
        self.timeline = Timeline()
        self.out: dict[str, Span] = {}

    async def acquire(self) -> str:
        await asyncio.sleep(0)
        connection = f"conn-{len(self.timeline.spans) + 1}"
        span = Span(f"{connection} borrowed", asyncio.get_running_loop().time())
        self.timeline.spans.append(span)
        self.out[connection] = span
        return connection

    def release(self, connection: str) -> None:
        if connection not in self.out:
            lent = any(span.label == f"{connection} borrowed" for span in self.timeline.spans)
            raise RuntimeError(
                f"pool.release({connection!r}): {connection!r} "
                + (
                    "had already been given back, so it was released twice. Give a "
                    "connection back in one place only: a `finally` runs after an `except` "
                    "that has released it already."
                    if lent
                    else "was never borrowed from this pool."
                )
            )
        span = self.out.pop(connection)
        span.end = asyncio.get_running_loop().time()
        span.outcome = "done"

    def release_times(self) -> list[float | None]:
        return [span.end for span in self.timeline.spans]


class FakeHandler:
    """Handles a job in `seconds` of virtual time, recording which connection it was given.

    `ended` lists the connections whose job ran to its end (finished or raised its error),
    not those of a job cancelled halfway.
    """

    def __init__(self, seconds: float = 1, error: Exception | None = None) -> None:
        self.seconds = seconds
        self.error = error
        self.handled: list[tuple[str, str]] = []
        self.ended: list[str] = []

    async def handle(self, job: str, connection: str) -> None:
        self.handled.append((job, connection))
        await asyncio.sleep(self.seconds)
        self.ended.append(connection)
        if self.error is not None:
            raise self.error

    def idle(self, connections: list[str]) -> list[str]:
        """Those of `connections` that no job was ever run on."""
        used = {connection for _, connection in self.handled}
        return [connection for connection in connections if connection not in used]


# Said when a connection is out with no job on it: it was borrowed before a job was taken.
TAKE_THE_JOB_FIRST = (
    "Take the job first (`job = await jobs.get()`), then borrow the connection: a "
    "connection borrowed before there is a job to run on it is held, out of everyone "
    "else's reach, for as long as the queue stays empty."
)


def queue_of(*jobs: str) -> asyncio.Queue[str]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    return queue


async def cancel_and_wait(task: asyncio.Task, grace: float = 1) -> None:
    """Cancel `task` once and give it `grace` seconds of virtual time to stop."""
    task.cancel()
    await asyncio.wait({task}, timeout=grace)


async def stop(task: asyncio.Task) -> None:
    """Clean up after a test: cancel `task` until it stops, a few times at most.

    A worker that swallows every cancellation is left running for the kit's detector to report.
    """
    for _ in range(3):
        if task.done():
            break
        await cancel_and_wait(task)
    if task.done() and not task.cancelled():
        task.exception()  # retrieved here: the test's own assertions report what went wrong


async def test_jobs_are_handled_in_turn_each_on_a_connection_given_back_after(exercise, clock):
    pool, handler = FakePool(), FakeHandler(seconds=1)
    task = asyncio.create_task(exercise.worker(queue_of("a", "b", "c"), pool, handler.handle))
    await asyncio.sleep(5)
    await stop(task)
    assert handler.handled == [("a", "conn-1"), ("b", "conn-2"), ("c", "conn-3")], (
        f"The worker handled {handler.handled!r}; expected jobs a, b and c in queue order, "
        "each on the connection borrowed for it."
    )
    idle = handler.idle(sorted(pool.out))
    assert pool.release_times() == [1, 2, 3], pool.timeline.explain(
        f"The connections went back at t = {pool.release_times()!r}; expected [1, 2, 3]: "
        "each one as soon as its one-second job was done"
        + (
            f", and no other borrowed. {' and '.join(idle)} was borrowed with no job to run "
            "on it, after the last job, while the queue was empty."
            if idle
            else "."
        ),
        TAKE_THE_JOB_FIRST
        if idle
        else "Give every borrowed connection back with pool.release() when its job ends.",
    )


async def test_a_job_that_takes_minutes_is_waited_for(exercise, clock):
    # Jobs of over ten minutes: longer than any time limit one might guess.
    pool, handler = FakePool(), FakeHandler(seconds=612.37)
    task = asyncio.create_task(exercise.worker(queue_of("a", "b"), pool, handler.handle))
    await asyncio.wait({task}, timeout=1300)
    ended, idle = task_outcome(task), handler.idle(sorted(pool.out))
    await stop(task)
    assert (ended, pool.release_times()) == ("was still running", [612.37, 1224.74]), (
        pool.timeline.explain(
            f"Jobs a and b take 612.37 s each. The worker ran them to the end on "
            f"{handler.ended or 'no connection'}, gave the connections back at "
            f"t = {pool.release_times()!r}, and at t=1300 s it {ended}; expected both jobs "
            "done, the connections back at t = [612.37, 1224.74], and the worker still "
            "waiting for the next job.",
            TAKE_THE_JOB_FIRST
            if idle
            else "The task puts no time limit on a job: a slow job is still a job. Await "
            "handle(job, connection) as it is, without asyncio.wait_for or asyncio.timeout "
            "around it.",
        )
    )


async def test_cancelling_mid_job_gives_the_connection_back_at_once(exercise, clock):
    pool, handler = FakePool(), FakeHandler(seconds=10)
    task = asyncio.create_task(exercise.worker(queue_of("a"), pool, handler.handle))
    await asyncio.sleep(2)
    await cancel_and_wait(task)
    released = pool.release_times()
    await stop(task)
    assert released == [2], pool.timeline.explain(
        "The worker was cancelled at t=2 s in the middle of a job, and its connection "
        + (
            f"went back at t={released[0]:g} s."
            if released[0] is not None
            else "was not given back."
        ),
        "Cleanup that must happen however the job ends (cancellation included) belongs in "
        "a `finally` block, which runs at the moment of cancellation.",
    )


async def test_a_cancelled_worker_stops_and_ends_cancelled(exercise, clock):
    pool, handler = FakePool(), FakeHandler(seconds=10)
    task = asyncio.create_task(exercise.worker(queue_of("a", "b"), pool, handler.handle))
    await asyncio.sleep(2)
    await cancel_and_wait(task)
    ended, stopped_at = task_outcome(task), clock.now
    started = [job for job, _ in handler.handled]
    await stop(task)
    assert ended != "was still running", (
        f"The worker was cancelled at t=2 s but was still running at t={stopped_at:g} s, "
        f"having started jobs {started!r}. It swallowed asyncio.CancelledError and carried "
        "on. Clean up in `finally` (or re-raise after cleaning up) so that the cancellation "
        "ends the worker."
    )
    assert ended == "ended cancelled", (
        f"The worker was cancelled at t=2 s and {ended}; expected it to end cancelled. "
        "Returning normally hides the cancellation from whoever asked for it: let "
        "asyncio.CancelledError leave the worker."
    )
    assert stopped_at == 2, f"The worker took until t={stopped_at:g} s to stop; expected t=2 s."


async def test_a_timeout_around_the_worker_raises_timeout_error_at_the_deadline(exercise, clock):
    pool, handler = FakePool(), FakeHandler(seconds=10)

    async def run_for_three_seconds() -> None:
        async with asyncio.timeout(3):
            await exercise.worker(queue_of("a", "b"), pool, handler.handle)

    caller = asyncio.create_task(run_for_three_seconds())
    await asyncio.wait({caller}, timeout=10)
    ended, ended_at = task_outcome(caller), clock.now
    out = sorted(pool.out)
    await stop(caller)
    assert ended.startswith("raised TimeoutError"), (
        f"A caller ran the worker inside `async with asyncio.timeout(3)`, and at "
        f"t={ended_at:g} s it {ended}; expected TimeoutError at t=3 s. The timeout cancels "
        "the worker and turns the CancelledError into TimeoutError, but only if the "
        "CancelledError comes out of the worker."
    )
    assert ended_at == 3, f"TimeoutError came at t={ended_at:g} s; expected t=3 s."
    assert not out, f"After the timeout, {out} had not been given back to the pool."


# Any error from handle ends the worker: connection errors too, and a subclass of one.
@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("job a broke"),
        ValueError("job a is malformed"),
        ConnectionError("the database went away"),
        ConnectionResetError("connection reset by peer"),
    ],
    ids=lambda error: type(error).__name__,
)
async def test_an_error_in_a_job_gives_the_connection_back_and_ends_the_worker(
    exercise, clock, error
):
    pool, handler = FakePool(), FakeHandler(seconds=1, error=error)
    task = asyncio.create_task(exercise.worker(queue_of("a", "b"), pool, handler.handle))
    await asyncio.wait({task}, timeout=5)
    ended, at = task_outcome(task), clock.now
    raised = task.exception() if task.done() and not task.cancelled() else None
    await stop(task)
    assert (ended, at) == (f"raised {error!r}", 1), (
        f"Job a raised {error!r} at t=1 s, and the worker {ended} at t={at:g} s"
        + "; expected the job's error to end the worker at t=1 s, reaching whoever awaits "
        "it. Clean up in `finally` and catch nothing: an `except` that logs the error, or "
        "skips the job, and goes on hides a broken job, whatever kind of error it is."
    )
    assert raised is error, (
        f"Job a raised {error!r}, and the worker raised {raised!r}: an equal error, but a "
        "new object, not the job's own error (its traceback and any attributes beyond its "
        "arguments are lost). Let the job's error itself leave the worker: no `except` at "
        "all, or a bare `raise` in it."
    )
    assert pool.release_times() == [1], pool.timeline.explain(
        "Job a raised at t=1 s and its connection was never given back; expected it back at t=1 s.",
        "A `finally` block runs when an error passes through, too.",
    )


async def test_cancelled_at_any_await_the_worker_gives_back_its_connection_and_stops(exercise):
    async def two_jobs(start: Starter) -> tuple[list[str], float | None, list[str], list[str]]:
        pool, handler = FakePool(), FakeHandler(seconds=1.3)
        task = start(exercise.worker(queue_of("a", "b"), pool, handler.handle))
        await asyncio.wait({task}, timeout=5)
        stopped = asyncio.get_running_loop().time() if task.done() else None
        out = sorted(pool.out)
        return out, stopped, handler.ended, handler.idle(out)

    for run in await cancel_at_each_suspension(two_jobs):
        out, stopped, ended, idle = run.state
        assert run.ended_cancelled, (
            f"The worker (jobs a and b, 1.3 s each) was {run.describe()}, and it {run.ended}; "
            "expected it to end cancelled. Wherever the cancellation lands (waiting for a "
            "job, for a connection, or in the middle of one), asyncio.CancelledError must "
            "leave the worker, not be swallowed or replaced by another error."
        )
        after_the_job = [connection for connection in out if connection in ended]
        assert not out, (
            f"The worker was {run.describe()}; it ended cancelled but {out} had not been "
            "given back to the pool. "
            + (
                f"The job on {after_the_job[0]} had already ended: the cancellation landed on "
                "an await between the end of the job and pool.release(), and skipped the "
                "release. Give the connection back first thing in the `finally`, before any "
                "await."
                if after_the_job
                else f"{idle[0]} had no job on it yet: the worker borrowed it, then waited "
                "for a job, and the cancellation landed there. " + TAKE_THE_JOB_FIRST
                if idle
                else "Its job was cancelled halfway and nothing gave the connection back: "
                "release it in a `finally` around `await handle(...)`, which runs on "
                "cancellation too."
            )
        )
        took = None if stopped is None else stopped - run.began
        assert took == run.cancelled_at, (
            f"The worker was {run.describe()} and "
            + ("had not stopped 5 s later" if took is None else f"stopped at t={took:g} s")
            + "; expected it to stop at once, its connection given back."
        )
