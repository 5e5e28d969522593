"""Tests for exercises/09_threads_processes/crunch_in_processes.py.

The pool is a real ProcessPoolExecutor with two processes, started with "fork" so that
each child already has the exercise module loaded (it is not importable by name). Its
jobs take a few milliseconds of real time and none of the event loop's: the kit's loop
waits for executor jobs before moving its clock. While a test runs, the module's
`fingerprint` is the kit's blocking-call detector wrapped around the real one: called on
the event loop's thread it is refused with a message naming it; in a pool process it
runs as usual (the wrapper pickles by name, like the function it replaces).

The expected fingerprints come from the test's own copy of the function the task gives,
not from the exercise's: a `fingerprint` edited to do less work would pass otherwise.
"""

import asyncio
import contextlib
import functools
import hashlib
import multiprocessing
import os
import pickle
import sys
import types
import warnings
from asyncio.base_events import BaseEventLoop
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, cast

import pytest

from grader.inside.testing import task_outcome
from grader.inside.virtual_clock import DEADLOCK_ERROR

ADVICE = (
    "fingerprint() keeps a CPU core busy until it is done; hand it to the process pool "
    "with loop.run_in_executor(pool, fingerprint, blob)"
)
PICKLING_ERRORS = (pickle.PicklingError, AttributeError, TypeError)


class RecordingPool(ProcessPoolExecutor):
    """A two-process pool that records each job and controls the order jobs come back in.

    A job that loop.run_in_executor submits comes back only once every job submitted so
    far has finished in its process, and then they all come back at once, the latest
    first: answers that hand back the results in the order they finish get them in
    reverse, however fast the processes compute. Code that submits one job and awaits it
    before the next still gets each one back (it is all that was submitted). With
    `stagger` set, they come back that many seconds of loop time apart instead.

    A job counts as back once the event loop has heard that it finished: the pool tells
    the loop before asyncio's own future does, so code that awaited a job has always heard
    of it. How fast the processes compute never changes the count: the loop hears nothing
    between two submissions made without an await in between.
    """

    def __init__(self) -> None:
        super().__init__(max_workers=2, mp_context=multiprocessing.get_context("fork"))
        self.submitted: list[tuple[str, tuple[Any, ...]]] = []
        self.back_before_submit: list[int] = []
        self.submitted_directly = 0
        self.holding = False
        self.stagger = 0.0
        self._back: list[Future[Any]] = []
        self._held: list[tuple[Future[Any], Future[Any]]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.back_before_submit.append(len(self._back))
        self.submitted.append(_job(fn, args, kwargs))
        future = super().submit(fn, *args, **kwargs)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # submitted from outside the loop's thread
            return future
        if sys._getframe(1).f_code is not BaseEventLoop.run_in_executor.__code__:
            # The kit's loop waits only for jobs that run_in_executor started (see
            # `fingerprints` below); this one goes through untouched.
            self.submitted_directly += 1
            return future
        shown: Future[Any] = Future()
        shown.add_done_callback(lambda _: shown.cancelled() and future.cancel())
        self._held.append((future, shown))
        future.add_done_callback(lambda _: _tell(loop, self.release_when_all_finished))
        return shown

    def release_when_all_finished(self) -> None:
        """On the loop's thread: once every held job has finished, hand them back, latest first."""
        if self.holding or not all(future.done() for future, _ in self._held):
            return
        held, self._held = self._held, []
        loop = asyncio.get_running_loop()
        for n, (future, shown) in enumerate(reversed(held)):
            if self.stagger:
                loop.call_later(n * self.stagger, self._hand_back, future, shown)
            else:
                self._hand_back(future, shown)

    def _hand_back(self, future: Future[Any], shown: Future[Any]) -> None:
        """Give the job's outcome to the future that run_in_executor is waiting on."""
        self._back.append(future)
        if shown.cancelled():
            return
        if future.cancelled():
            shown.cancel()
        elif (error := future.exception()) is not None:
            shown.set_exception(error)
        else:
            shown.set_result(future.result())


def _tell(loop: asyncio.AbstractEventLoop, callback: Callable[..., Any], *args: Any) -> None:
    """Run ``callback`` on ``loop``'s thread, unless the loop has already closed."""
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(callback, *args)


def _job(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[str, tuple[Any, ...]]:
    """The function's name and its arguments, whether it came bare or in a functools.partial."""
    while isinstance(fn, functools.partial):
        args, kwargs = fn.args + args, {**fn.keywords, **kwargs}
        fn = fn.func
    return getattr(fn, "__name__", repr(fn)), args + tuple(kwargs.values())


@pytest.fixture
def pool(exercise: Any, request: pytest.FixtureRequest, monkeypatch: Any) -> Iterator[Any]:
    """The recording pool, forked after `fingerprint` was wrapped by the detector."""
    # Pickle finds a function by importing its module by name, and the kit loads an
    # exercise as a dotted name without its parent packages: stand-ins make it importable.
    name = exercise.__name__
    while "." in name:
        name = name.rpartition(".")[0]
        if name not in sys.modules:
            monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    guard = request.config.pluginmanager.get_plugin("asyncio-kit").guard
    monkeypatch.setattr(
        exercise, "fingerprint", guard._guarded(exercise.fingerprint, "fingerprint", ADVICE)
    )
    with RecordingPool() as made:
        # The first job starts both processes. Python 3.12+ warns about fork() in a process
        # with threads (pytest's timeout watchdog is one); the children only compute and
        # never touch a lock those threads might hold.
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", "This process .* is multi-threaded", DeprecationWarning
            )
            ProcessPoolExecutor.submit(made, os.getpid).result()
        yield made


def given_fingerprint(data: bytes) -> str:
    """The fingerprint as the task gives it: 10 000 rounds of SHA-256, as hex."""
    digest = data
    for _ in range(10_000):
        digest = hashlib.sha256(digest).digest()
    return digest.hex()


def expected(blobs: list[bytes]) -> list[str]:
    """The fingerprints, computed here, outside the event loop."""
    return [given_fingerprint(blob) for blob in blobs]


async def fingerprints(exercise: Any, blobs: list[bytes], pool: Any) -> list[str]:
    """Call the exercise; a job sent past run_in_executor or not picklable fails explained."""
    try:
        return cast(list[str], await exercise.fingerprints(blobs, pool))
    except DEADLOCK_ERROR:
        if not pool.submitted_directly:
            raise
    except PICKLING_ERRORS as error:
        if "pickle" not in str(error):
            raise
        pytest.fail(
            f"A job could not be sent to the pool's processes: {error!r}. A job travels to "
            "another process pickled, and a lambda or a function defined inside another "
            "cannot be. Hand over the module-level function itself and its argument: "
            "loop.run_in_executor(pool, fingerprint, blob)."
        )
    pytest.fail(
        f"fingerprints handed {pool.submitted_directly} job(s) to pool.submit itself and "
        "then waited for them forever: the kit's event loop waits only for jobs started with "
        "loop.run_in_executor. Use loop.run_in_executor(pool, fingerprint, blob), as the "
        "task says."
    )


BLOBS = [b"alpha", b"beta", b"gamma"]


def test_fingerprint_itself_is_left_as_it_was_given(exercise):
    blob = b"alpha"
    got, given = exercise.fingerprint(blob), given_fingerprint(blob)
    assert got == given, (
        f"fingerprint({blob!r}) returned {got!r}; the fingerprint() the task gives returns "
        f"{given!r} (ROUNDS = 10_000 rounds of SHA-256, then .hex()). The exercise is "
        "about where fingerprint runs, not what it computes: put it back as it was "
        "(`nox -s reset -- crunch_in_processes` restores the whole file as shipped) and change "
        "only fingerprints()."
    )


async def test_fingerprints_come_back_in_the_order_of_the_blobs(exercise, pool, clock):
    result = await fingerprints(exercise, BLOBS, pool)
    assert result == expected(BLOBS), (
        f"fingerprints([b'alpha', b'beta', b'gamma'], pool) returned {result!r}; expected "
        f"{expected(BLOBS)!r}, the fingerprint() of each blob as the task gives it, in the "
        "order of `blobs`."
    )
    assert clock.now == 0


async def test_every_job_goes_to_the_process_pool_you_were_given(exercise, pool):
    await fingerprints(exercise, BLOBS, pool)
    expected_jobs = [("fingerprint", (blob,)) for blob in BLOBS]
    if not pool.submitted:
        advice = (
            "Pass the pool to loop.run_in_executor(pool, fingerprint, blob); "
            "asyncio.to_thread and the default executor use threads of this process."
        )
    elif any(name == "_process_chunk" for name, _ in pool.submitted):
        advice = (
            "pool.map() sends the blobs in chunks of its own, and waits for them in "
            "whatever thread calls it; the task asks for one "
            "loop.run_in_executor(pool, fingerprint, blob) per blob, each awaited on the loop."
        )
    else:
        advice = "Submit fingerprint itself, once per blob, with the blob as its argument."
    assert pool.submitted == expected_jobs, (
        f"The process pool received {pool.submitted}; expected one job per blob: "
        f"{expected_jobs}. {advice}"
    )


async def test_every_job_is_submitted_before_any_is_awaited(exercise, pool):
    await fingerprints(exercise, BLOBS, pool)
    assert pool.back_before_submit == [0, 0, 0], (
        f"When each job was submitted, this many earlier jobs had already come back: "
        f"{pool.back_before_submit}; expected [0, 0, 0]. Awaiting each job before submitting "
        "the next leaves the other process idle. Submit them all, then gather the futures."
    )


async def test_the_same_blob_twice_is_fingerprinted_twice(exercise, pool):
    result = await fingerprints(exercise, [b"same", b"same"], pool)
    assert (result, len(pool.submitted)) == (expected([b"same", b"same"]), 2), (
        f"fingerprints([b'same', b'same'], pool) returned {result!r} from "
        f"{len(pool.submitted)} jobs; expected the same fingerprint twice, from two jobs."
    )


async def test_no_blobs_means_no_jobs(exercise, pool, clock):
    result = await fingerprints(exercise, [], pool)
    assert (result, pool.submitted) == ([], []), (
        f"fingerprints([], pool) returned {result!r} after submitting {pool.submitted}; "
        "expected [] and no jobs."
    )


async def test_a_job_s_error_comes_back_from_its_process(exercise, pool):
    pool.stagger = 0.25  # the failed job comes back first, the other one 0.25 s later
    with pytest.raises(ValueError, match="nothing to fingerprint") as raised:
        await fingerprints(exercise, [b"fine", b""], pool)
    assert type(raised.value) is ValueError, (
        f"fingerprints([b'fine', b''], pool) raised {raised.value!r}; expected the "
        "ValueError('nothing to fingerprint') that fingerprint(b'') raised in its process."
    )


async def test_a_cancelled_call_ends_cancelled_without_waiting_for_the_pool(exercise, pool):
    pool.holding = True  # no job comes back until the test says so
    task = asyncio.create_task(exercise.fingerprints(BLOBS, pool))
    await asyncio.sleep(0)  # fingerprints has submitted its jobs and is waiting for them
    task.cancel()
    await asyncio.wait([task], timeout=1)
    ended = task_outcome(task)
    pool.holding = False
    pool.release_when_all_finished()
    await asyncio.wait([task])
    assert ended == "ended cancelled", (
        f"fingerprints was cancelled while its jobs ran and 1 s later it {ended}, though no "
        "job had come back from the pool yet; expected it to end cancelled at once. Let the "
        "CancelledError out of the await: run_in_executor's futures cancel with it, and a "
        "job already running in a process cannot be stopped anyway."
    )
