"""Tests for exercises/03_futures/wrap_thread_future.py.

The pool handed to `checksum` is a fake with real worker threads: a worker holding a job
waits until a loop timer, `seconds` of loop time after `submit`, says the work is done,
then runs it and completes the job's future on its thread, so the future's done callbacks
run on the worker thread as with a real pool. A callback there that uses the loop without
call_soon_threadsafe (completing an asyncio future straight from the worker, say) is
noted: on a real loop asleep in select() it would never be run.

The futures refuse to block the loop's thread: a real `job.result()` would freeze the loop
until the worker finished, and here the worker's timer could then never fire, so the test
would hang until the timeout. Instead they fail at once and say why; so does a busy-wait on
`job.done()`, which would hang the same way.

Jobs take irregular times (1.234567 s, not 1 s), so an answer that polls `job.done()` every
0.1 s or 0.5 s wakes at a multiple of its interval and can't land on the finish by luck;
the virtual clock counts in microseconds, so these times are exact. Such an answer is also
caught directly: it asks done() of the unfinished job at several moments.

Margins: the kit's loop waits for threads started during the test in short real-time
slices before its clock moves on, and moves on as soon as they all rest; a worker rests
on its timer until the loop fires it, then reports back within microseconds. The timer is
set on the loop's thread at the moment of `submit`, so the job's times are exact, and
`submit` returns only once a worker holds the job (microseconds), so the loop never sees
an idle pool while a job is under way. Every answer here takes milliseconds of real time.
"""

import asyncio
import hashlib
import threading
import traceback
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
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
# How many distinct moments of loop time done() may report "still running" before the test
# stops a poller at once. The tests fail any poll at two moments or more; this only spares
# the time a tiny interval (asyncio.sleep(1e-6)) would take to reach the job's end.
POLLING_MOMENTS = 100

# Worker threads of a fake pool: more than any answer here submits jobs.
WORKERS = 4

# Real seconds a worker thread waits for the loop's timer that ends its job; only a loop
# that stopped first (a test torn down early) leaves it waiting that long.
REAL_LIMIT = 5.0


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
        if len(self.polled_at) >= POLLING_MOMENTS:
            raise BlockedEventLoopError(
                f"job.{method}() was asked at {len(self.polled_at)} different moments while the "
                f"job was still running (t={', '.join(f'{t:g}' for t in self.polled_at[:4])}, "
                "... s): checksum polls, so it would notice the finish only at its next check "
                "(the test stopped it here). Don't poll: await the pool's future itself "
                "(asyncio.wrap_future(job)), so checksum resumes when the worker is done."
                f"{_where()}"
            )
        if self._polls >= BUSY_WAIT_POLLS:
            raise BlockedEventLoopError(
                f"job.{method}() was asked {self._polls} times at t={now:g} s while the job was "
                "still running: a busy-wait. The coroutine keeps asking without letting any time "
                "pass, so the event loop never gets to finish the job. Await the job instead: "
                f"asyncio.wrap_future(job) turns it into something you can await.{_where()}"
            )


# Held while a worker completes its job, so two workers never swap loop.call_soon at once.
_COMPLETING = threading.Lock()


def _where() -> str:
    where = learner_location(traceback.extract_stack())
    return f"\n  at {where}" if where else ""


class FakePool(Executor):
    """A thread pool whose every job holds a real worker thread for `seconds` of loop time.

    A job's worker waits until a loop timer says the job's time is up, then runs the job
    and completes its future there, so the future's done callbacks run on the worker
    thread, as they do with a real pool. The workers are a real ThreadPoolExecutor's,
    all started before the test hands the pool over: learner code may not start threads
    in this exercise, and the kit's loop knows an idle worker of such a pool can't wake
    it, so a deadlock is still found at once.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, seconds: float) -> None:
        self.loop = loop
        self.seconds = seconds
        self.submitted: list[tuple[Callable[..., str], tuple[Any, ...]]] = []
        self.jobs: list[NonBlockingFuture] = []
        self.timeline = Timeline()
        self._threads = ThreadPoolExecutor(WORKERS, thread_name_prefix="fake pool worker")
        self.workers: set[threading.Thread] = set()
        # Jobs that wait for one another make the executor start every worker now.
        all_started = threading.Barrier(WORKERS + 1)

        def arrive() -> None:
            self.workers.add(threading.current_thread())
            all_started.wait(REAL_LIMIT)

        for _ in range(WORKERS):
            self._threads.submit(arrive)
        all_started.wait(REAL_LIMIT)
        # Where a worker thread's done callback touched the loop without call_soon_threadsafe.
        self.unsafe_calls: list[str] = []
        self._loop_thread = threading.get_ident()
        self._time_up: list[threading.Event] = []
        self._closed = False

    def submit(self, fn: Callable[..., str], /, *args: Any, **kwargs: Any) -> Future[str]:
        self.submitted.append((fn, args))
        job = NonBlockingFuture(self.loop)
        self.jobs.append(job)
        span = Span(f"pool: {getattr(fn, '__name__', 'job')}", self.loop.time())
        self.timeline.spans.append(span)
        time_up = threading.Event()
        self._time_up.append(time_up)

        def end_of_the_work() -> None:
            span.end = self.loop.time()
            time_up.set()

        picked_up = threading.Event()

        def work() -> None:
            picked_up.set()
            if not time_up.wait(REAL_LIMIT) or self._closed:
                return
            if not job.set_running_or_notify_cancel():
                span.outcome = "cancelled"
                return
            try:
                result = fn(*args, **kwargs)
            except Exception as error:
                span.outcome = "raised"
                with self._watching_the_loop():
                    job.set_exception(error)
            else:
                span.outcome = "done"
                with self._watching_the_loop():
                    job.set_result(result)

        # Thread-safe, so that a job submitted from another thread is timed the same way.
        self.loop.call_soon_threadsafe(self.loop.call_later, self.seconds, end_of_the_work)
        self._threads.submit(work)
        # A worker still on its way out of the executor's queue looks idle to the kit's
        # loop, which could take the quiet for a deadlock; it picks the job up in
        # microseconds, and from then on it counts as busy until the job is complete.
        picked_up.wait(REAL_LIMIT)
        return job

    def on_a_worker(self) -> bool:
        """Whether the calling thread is one of this pool's workers."""
        return threading.current_thread() in self.workers

    def on_the_loop_thread(self) -> bool:
        """Whether the calling thread is the event loop's."""
        return threading.get_ident() == self._loop_thread

    @contextmanager
    def _watching_the_loop(self) -> Iterator[None]:
        """Note every loop.call_soon made by the job's done callbacks on this worker thread.

        asyncio's own futures schedule their callbacks with loop.call_soon, so this also
        catches an asyncio future completed straight from the worker (future.set_result).
        call_soon only queues the callback and does not wake the loop; a real loop asleep
        in select() would never run it. The call is passed on thread-safely, so the test
        can go on and say what happened. The loop is watched only while the callbacks run
        on this thread, and calls from the loop's own thread pass straight through.
        """
        loop = self.loop
        original = type(loop).call_soon

        def call_soon(callback: Callable[..., Any], *args: Any, context: Any = None) -> Any:
            if self.on_the_loop_thread():
                return original(loop, callback, *args, context=context)
            self.unsafe_calls.append(learner_location(traceback.extract_stack()) or "")
            return loop.call_soon_threadsafe(callback, *args, context=context)

        with _COMPLETING:
            loop.call_soon = call_soon  # type: ignore[method-assign]
            try:
                yield
            finally:
                del loop.call_soon

    def close(self) -> None:
        """Let every worker still waiting go without finishing its job (the test is over)."""
        self._closed = True
        for time_up in self._time_up:
            time_up.set()
        self._threads.shutdown(wait=False, cancel_futures=True)
        # Joined before the kit checks, after teardown, that no loop method is still
        # replaced: a worker leaves _watching_the_loop before it ends.
        for worker in self.workers:
            worker.join(REAL_LIMIT)


@pytest.fixture
def make_pool() -> Iterator[Callable[[float], FakePool]]:
    """Makes fake pools on the running loop; their worker threads are let go at the end."""
    pools: list[FakePool] = []

    def make(seconds: float) -> FakePool:
        pool = FakePool(asyncio.get_running_loop(), seconds)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_the_pool_got_a_job(pool: FakePool) -> None:
    """Fail first, and say so, when checksum never handed the pool any work."""
    assert pool.submitted, (
        "checksum never submitted a job to the executor it was given: the pool received "
        "nothing, so the work ran somewhere else. Submit hash_bytes(data) to that executor "
        "(executor.submit or loop.run_in_executor(executor, ...)), then await its future."
    )


@asynccontextmanager
async def alongside(coro: Coroutine[Any, Any, None]) -> AsyncIterator[asyncio.Task[None]]:
    """Run `coro` as a task during the block; stop it if the block fails, so none leaks."""
    task = asyncio.create_task(coro)
    try:
        yield task
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_the_checksum_arrives_when_the_worker_finishes(exercise, clock, make_pool):
    pool = make_pool(1.234567)
    digest = await exercise.checksum(b"big file", pool, sha256)
    assert digest == sha256(b"big file"), (
        f"checksum(b'big file') returned {digest!r}; expected {sha256(b'big file')!r}, "
        "the value hash_bytes computed on the pool."
    )
    assert_the_pool_got_a_job(pool)
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


async def test_the_worker_thread_hands_the_result_over_thread_safely(exercise, make_pool):
    pool = make_pool(1.234567)
    await exercise.checksum(b"big file", pool, sha256)
    assert_the_pool_got_a_job(pool)
    assert not pool.unsafe_calls, (
        "When the job finished, its done callback ran on the pool's worker thread (as it "
        "does with a real pool) and scheduled work on the event loop with loop.call_soon, "
        f"at {pool.unsafe_calls[0] or 'a line outside your file'}. Completing an asyncio "
        "future there (future.set_result or set_exception) does that too. call_soon is "
        "not thread-safe: it does not wake the loop, so with a real pool checksum could "
        "wait forever. From another thread, use loop.call_soon_threadsafe(...), or let "
        "asyncio.wrap_future(job) copy the outcome over for you."
    )


async def test_the_work_runs_on_the_executor_you_were_given(exercise, make_pool):
    pool = make_pool(1.234567)
    ran: list[str] = []

    def hash_bytes(data: bytes) -> str:
        where = (
            "on the pool you were given"
            if pool.on_a_worker()
            else "on the event loop's thread"
            if pool.on_the_loop_thread()
            else "on a thread that is not the pool's (asyncio's default threads?)"
        )
        ran.append(f"hash_bytes({data!r}) {where}")
        return sha256(data)

    await exercise.checksum(b"big file", pool, hash_bytes)
    expected = "hash_bytes(b'big file') on the pool you were given"
    assert ran == [expected], (
        f"hash_bytes ran {len(ran)} time(s): {ran}; expected it to run once: {expected}. "
        f"The pool received {len(pool.submitted)} job(s). Submit the work to the executor "
        "you were given, once (executor.submit or loop.run_in_executor(executor, ...)), "
        "and await that job's future."
    )


async def test_other_tasks_keep_running_while_the_worker_hashes(exercise, clock, make_pool):
    pool = make_pool(1.234567)
    beats: list[float] = []

    async def heartbeat() -> None:
        for _ in range(3):
            async with pool.timeline.track("heartbeat"):
                await asyncio.sleep(0.25)
            beats.append(clock.now)

    async with alongside(heartbeat()), pool.timeline.track("checksum"):
        await exercise.checksum(b"big file", pool, sha256)
        returned_at, beats_by_then = clock.now, list(beats)
    assert_the_pool_got_a_job(pool)
    assert beats_by_then == [0.25, 0.5, 0.75], pool.timeline.explain(
        f"While checksum waited for the pool (t=0 to t={returned_at} s), a heartbeat task "
        f"ticked at {beats_by_then}; expected a tick every 0.25 s: [0.25, 0.5, 0.75].",
        "Waiting on the job must suspend only checksum, so the loop can run other tasks.",
    )


async def test_a_slow_job_is_waited_for_however_long_it_takes(exercise, clock, make_pool):
    # 3540.3 s of loop time (no real waiting): longer than any timeout a learner might guess
    # (the task sets none), and still under the hour after which the kit calls a wait endless.
    pool = make_pool(3540.3)
    try:
        outcome = f"returned {await exercise.checksum(b'huge file', pool, sha256)!r}"
    except BlockedEventLoopError:
        raise  # it says what went wrong itself
    except Exception as error:
        outcome = f"raised {error!r}"
    assert_the_pool_got_a_job(pool)
    expected = f"returned {sha256(b'huge file')!r}"
    assert (outcome, clock.now) == (expected, 3540.3), pool.timeline.explain(
        f"With the pool taking 3540.3 s to hash b'huge file', checksum {outcome} at "
        f"t={clock.now:g} s; expected it to return the hash at t=3540.3 s.",
        "The task sets no time limit: await the job however long it takes. A caller who "
        "wants a deadline can wrap the call in asyncio.timeout() themselves.",
    )


# Any error from hash_bytes: an OSError, a subclass of it, and errors of unrelated kinds.
@pytest.mark.parametrize(
    "error",
    [
        OSError("unreadable block at offset 4096"),
        FileNotFoundError(2, "No such file", "big.iso"),
        ValueError("block size must be a multiple of 64"),
        RuntimeError("hash engine crashed"),
    ],
    ids=lambda error: type(error).__name__,
)
async def test_an_error_in_the_worker_is_raised_by_checksum(exercise, clock, make_pool, error):
    pool = make_pool(2.718281)

    def broken_hash(data: bytes) -> str:
        raise error

    raised: Exception | None = None
    try:
        outcome = f"returned {await exercise.checksum(b'big file', pool, broken_hash)!r}"
    except BlockedEventLoopError:
        raise  # it says what went wrong itself
    except Exception as caught:
        outcome, raised = f"raised {caught!r}", caught
    assert_the_pool_got_a_job(pool)
    assert raised is error, (
        f"hash_bytes raised {error!r} on the worker, and checksum {outcome}; expected it to "
        "raise that very error, not a new one made from it and not a value in its place. "
        "Awaiting the job (asyncio.wrap_future) raises the worker's error itself, whatever "
        "its type: let it propagate, without catching some kinds on the way."
    )
    assert clock.now == 2.718281, (
        f"checksum raised at t={clock.now} s; the worker failed at t=2.718281 s. Let the "
        "job's own exception come out of the await rather than checking on the job now "
        "and then."
    )
