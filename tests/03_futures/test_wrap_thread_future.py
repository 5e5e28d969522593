"""Tests for exercises/03_futures/wrap_thread_future.py.

The pool handed to `checksum` is a fake: its "worker thread" is a callback on the event
loop, run `seconds` of loop time after `submit`, so the test stays on the virtual clock.
Its futures refuse to block the loop's thread: a real `job.result()` would freeze the loop
until the worker finished, and here the worker could then never run, so the test would
hang until the timeout. Instead they fail at once and say why; so does a busy-wait on
`job.done()`, which would hang the same way.

Jobs take irregular times (1.234567 s, not 1 s), so an answer that polls `job.done()` every
0.1 s or 0.5 s wakes at a multiple of its interval and can't land on the finish by luck;
the virtual clock counts in microseconds, so these times are exact. Such an answer is also
caught directly: it asks done() of the unfinished job at several moments.

Margins: an answer using `loop.run_in_executor(executor, ...)` gets this fake pool's future
wrapped, so its job also finishes on the virtual clock. The kit's loop gives executor jobs
no virtual time; while one is pending it waits only a short real-time grace each time
before the clock moves on, so every answer here takes milliseconds of real time.
"""

import asyncio
import hashlib
import traceback
from collections.abc import AsyncIterator, Callable, Coroutine
from concurrent.futures import Executor, Future
from contextlib import asynccontextmanager
from typing import Any

import pytest

from grader.inside.detectors import learner_location
from grader.inside.testing import Span, Timeline

# How often done() may report "still running" at one instant of loop time before the test
# calls it a busy-wait: a bare `while not job.done(): pass`, or one with `await
# asyncio.sleep(0)`, since the virtual clock never moves while a callback is always ready.
# A coroutine that polls with `await asyncio.sleep(0.01)` lets the clock move between polls
# and never gets near this; the tests catch it by the moments it polls at (`polled_at`).
BUSY_WAIT_POLLS = 1000


class BlockedEventLoopError(AssertionError):
    """Raised instead of blocking the event loop's thread on an unfinished pool job."""


class NonBlockingFuture(Future[str]):
    """A concurrent.futures.Future that fails fast where a real one would block the loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._loop = loop
        self._polls = 0
        self._polled_at: float | None = None
        # Each distinct loop time at which the loop's thread asked about the unfinished job.
        self.polled_at: list[float] = []

    def result(self, timeout: float | None = None) -> str:
        self._refuse_to_block("result", timeout)
        return super().result(timeout)

    def exception(self, timeout: float | None = None) -> BaseException | None:
        self._refuse_to_block("exception", timeout)
        return super().exception(timeout)

    def done(self) -> bool:
        finished = super().done()
        if not finished and self._on_loop_thread():
            self._count_poll("done")
        return finished

    def _on_loop_thread(self) -> bool:
        try:
            return asyncio.get_running_loop() is self._loop
        except RuntimeError:  # a worker thread waiting on the job may block: that is its job
            return False

    def _refuse_to_block(self, method: str, timeout: float | None) -> None:
        if super().done() or not self._on_loop_thread():
            return
        if timeout is not None and timeout <= 0:  # asking without waiting is only a poll
            self._count_poll(method)
            return
        raise BlockedEventLoopError(
            f"job.{method}() was called on the event loop's thread at t={self._loop.time():g} s, "
            f"while the pool was still working on the job. A concurrent.futures.Future's "
            f"{method}() waits by blocking the whole thread, so the event loop and every other "
            "task would freeze until the worker finished (the test stopped here rather than "
            "hang). Await the job instead: asyncio.wrap_future(job) gives it an asyncio face, "
            f"or loop.run_in_executor(executor, ...) submits and wraps in one go.{_where()}"
        )

    def _count_poll(self, method: str) -> None:
        now = self._loop.time()
        if now != self._polled_at:
            self._polled_at, self._polls = now, 0
            self.polled_at.append(now)
        self._polls += 1
        if self._polls >= BUSY_WAIT_POLLS:
            raise BlockedEventLoopError(
                f"job.{method}() was asked {self._polls} times at t={now:g} s while the job was "
                "still running: a busy-wait. The coroutine keeps asking without letting any time "
                "pass, so the event loop never gets to finish the job. Await the job instead: "
                f"asyncio.wrap_future(job) turns it into something you can await.{_where()}"
            )


def _where() -> str:
    where = learner_location(traceback.extract_stack())
    return f"\n  at {where}" if where else ""


class FakePool(Executor):
    """A thread pool whose jobs each take `seconds` of loop time, recorded on a timeline."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.submitted: list[tuple[Callable[..., str], tuple[Any, ...]]] = []
        self.jobs: list[NonBlockingFuture] = []
        self.timeline = Timeline()

    def submit(self, fn: Callable[..., str], /, *args: Any, **kwargs: Any) -> Future[str]:
        loop = asyncio.get_running_loop()
        self.submitted.append((fn, args))
        job = NonBlockingFuture(loop)
        self.jobs.append(job)
        span = Span(f"pool: {getattr(fn, '__name__', 'job')}", loop.time())
        self.timeline.spans.append(span)

        def finish() -> None:
            span.end = loop.time()
            if not job.set_running_or_notify_cancel():
                span.outcome = "cancelled"
                return
            try:
                result = fn(*args, **kwargs)
            except Exception as error:
                span.outcome = "raised"
                job.set_exception(error)
            else:
                span.outcome = "done"
                job.set_result(result)

        loop.call_later(self.seconds, finish)
        return job


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@asynccontextmanager
async def alongside(coro: Coroutine[Any, Any, None]) -> AsyncIterator[asyncio.Task[None]]:
    """Run `coro` as a task during the block; stop it if the block fails, so none leaks."""
    task = asyncio.create_task(coro)
    try:
        yield task
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_the_checksum_arrives_when_the_worker_finishes(exercise, clock):
    pool = FakePool(seconds=1.234567)
    digest = await exercise.checksum(b"big file", pool, sha256)
    assert digest == sha256(b"big file"), (
        f"checksum(b'big file') returned {digest!r}; expected {sha256(b'big file')!r}, "
        "the value hash_bytes computed on the pool."
    )
    polled_at = [moment for job in pool.jobs for moment in job.polled_at]
    assert len(polled_at) <= 1, pool.timeline.explain(
        f"checksum asked whether the job was done at {len(polled_at)} moments while the "
        f"pool was still working on it (t={', '.join(map(str, polled_at[:5]))}"
        f"{', ...' if len(polled_at) > 5 else ''} s): it polls, so it notices the finish "
        "only at its next check, after the worker is done.",
        "Don't poll job.done(): await the pool's future itself (asyncio.wrap_future(job)), "
        "so checksum resumes exactly when the worker is done.",
    )
    assert clock.now == 1.234567, pool.timeline.explain(
        f"checksum returned at t={clock.now} s; the pool finished the job at t=1.234567 s.",
        "Await the pool's future itself, so checksum resumes exactly when the worker is done.",
    )


async def test_the_work_runs_on_the_executor_you_were_given(exercise):
    pool = FakePool(seconds=1.234567)
    await exercise.checksum(b"big file", pool, sha256)
    calls = [(getattr(fn, "__name__", fn), args) for fn, args in pool.submitted]
    assert calls == [("sha256", (b"big file",))], (
        f"The pool received these jobs: {calls}; expected one job, hash_bytes(b'big file'). "
        "Submit the work to the executor you were given (executor.submit or "
        "loop.run_in_executor(executor, ...)), not to asyncio's default threads."
    )


async def test_other_tasks_keep_running_while_the_worker_hashes(exercise, clock):
    pool = FakePool(seconds=1.234567)
    beats: list[float] = []

    async def heartbeat() -> None:
        for _ in range(3):
            async with pool.timeline.track("heartbeat"):
                await asyncio.sleep(0.25)
            beats.append(clock.now)

    async with alongside(heartbeat()), pool.timeline.track("checksum"):
        await exercise.checksum(b"big file", pool, sha256)
        returned_at, beats_by_then = clock.now, list(beats)
    assert beats_by_then == [0.25, 0.5, 0.75], pool.timeline.explain(
        f"While checksum waited for the pool (t=0 to t={returned_at} s), a heartbeat task "
        f"ticked at {beats_by_then}; expected a tick every 0.25 s: [0.25, 0.5, 0.75].",
        "Waiting on the job must suspend only checksum, so the loop can run other tasks.",
    )


async def test_an_error_in_the_worker_is_raised_by_checksum(exercise, clock):
    pool = FakePool(seconds=2.718281)

    def broken_hash(data: bytes) -> str:
        raise OSError("unreadable block at offset 4096")

    with pytest.raises(OSError, match="unreadable block"):
        await exercise.checksum(b"big file", pool, broken_hash)
    assert clock.now == 2.718281, (
        f"checksum raised at t={clock.now} s; the worker failed at t=2.718281 s. Let the "
        "job's own exception come out of the await rather than checking on the job now "
        "and then."
    )
