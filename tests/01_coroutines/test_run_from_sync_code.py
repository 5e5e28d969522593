"""Tests for exercises/01_coroutines/run_from_sync_code.py.

These tests are plain functions: asyncio.run refuses to start a loop inside one that is
already running, so run_job must be called from code with no event loop, as here. The
coroutines handed in `await asyncio.sleep(0)`, so no real time passes, but they do it
several times, so only a loop that runs them to the end sees them finish. The one slow job
sleeps for a minute, on virtual-clock loops that the test puts in place of asyncio's own.
"""

import asyncio
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import pytest

from grader.inside.virtual_clock import VirtualClockLoop


async def a_few_turns() -> None:
    """Real suspension points, five of them: a job needs a loop that runs it to the end."""
    for _ in range(5):
        await asyncio.sleep(0)


async def add(a: int, b: int) -> int:
    await a_few_turns()
    return a + b


async def running_loop() -> asyncio.AbstractEventLoop:
    await a_few_turns()
    return asyncio.get_running_loop()


async def fail(error: BaseException, loops: list[asyncio.AbstractEventLoop]) -> None:
    """Note the loop this runs on in `loops`, then raise `error`."""
    loops.append(asyncio.get_running_loop())
    await a_few_turns()
    raise error


def run_job(exercise: ModuleType, job: Coroutine[Any, Any, Any]) -> Any:
    """Call the exercise's run_job, then discard `job` if it never ran.

    A failed test's traceback keeps `job` alive into later tests, where its "never
    awaited" warning would be blamed on code that did nothing wrong.
    """
    try:
        return exercise.run_job(job)
    except asyncio.InvalidStateError as error:
        # An AssertionError, not pytest.fail: inside pytest.raises(ValueError) this is
        # still reported as the test's own finding, not as an error that replaced ValueError.
        raise AssertionError(
            f"run_job raised InvalidStateError({error}): it asked for the job's result "
            "before the job had finished. The job awaits several times, and each await "
            "needs another pass of the loop: run the loop until the job is done "
            "(loop.run_until_complete(job), or asyncio.run(job), which also closes the loop)."
        ) from error
    finally:
        job.close()


def test_run_job_returns_what_the_coroutine_returns(exercise):
    result = run_job(exercise, add(2, 3))
    assert result == 5, (
        f"run_job(add(2, 3)) returned {result!r}; expected 5, the value the coroutine "
        "returns once an event loop has run it to the end."
    )


def test_each_call_gets_a_new_loop_of_its_own(exercise):
    first = run_job(exercise, running_loop())
    second = run_job(exercise, running_loop())
    assert first is not second, (
        "Two calls to run_job ran their coroutines on the same event loop; expected a new "
        "loop for each call. Start a fresh loop every time instead of reusing one."
    )


def test_the_loop_is_closed_when_run_job_returns(exercise):
    loop = run_job(exercise, running_loop())
    assert isinstance(loop, asyncio.AbstractEventLoop), (
        f"run_job(running_loop()) returned {loop!r}; expected the event loop the coroutine "
        "ran on, which is what that coroutine returns. Run the coroutine to the end and "
        "return its result."
    )
    assert loop.is_closed(), (
        "run_job returned, but the event loop it started is still open; expected it to "
        "be closed. A loop you start is yours to close (or let asyncio.run do both)."
    )


# Errors of several kinds, an OSError and a subclass of it among them, and a
# KeyboardInterrupt (a BaseException, not an Exception): whatever the job raises, run_job
# raises, unchanged.
@pytest.mark.parametrize(
    "error_type", [ValueError, FileNotFoundError, OSError, TimeoutError, KeyboardInterrupt]
)
def test_the_coroutines_own_error_reaches_the_caller(exercise, error_type):
    error = error_type("no such file")
    # Caught by hand, as any BaseException: a KeyboardInterrupt left to escape the test
    # would stop the whole test run instead of failing this one test.
    try:
        result = run_job(exercise, fail(error, []))
    except BaseException as raised:
        came_out = f"raised {raised!r}"
        if raised is error:
            return
        if type(raised) is type(error) and str(raised) == str(error):
            came_out += ", a new error made to look like the one the coroutine raised"
    else:
        came_out = f"returned {result!r}"
    raise AssertionError(
        f"run_job(fail(...)), a job that raises {error!r}, {came_out}; expected it to raise "
        "that very object (its traceback and attributes with it), whatever its kind. Let "
        "the error propagate unchanged: asyncio.run already raises it."
    )


def test_the_loop_is_closed_even_when_the_coroutine_fails(exercise):
    loops: list[asyncio.AbstractEventLoop] = []
    with pytest.raises(ValueError, match="no such file"):
        run_job(exercise, fail(ValueError("no such file"), loops))
    # The ValueError comes from fail(), which noted its loop first.
    assert loops[0].is_closed(), (
        "run_job(fail(...)) raised the coroutine's ValueError, as it should, but left the "
        "event loop it ran on open; expected the loop to be closed whether the job returns "
        "or raises. Close it in a `finally:` block (or let asyncio.run do it for you)."
    )


class VirtualClockLoops(asyncio.DefaultEventLoopPolicy):
    """Makes every new event loop one of the kit's virtual-clock loops."""

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        return VirtualClockLoop()


# The loop classes a learner may build directly instead of asking the policy, by where
# they are named (asyncio.EventLoop exists from Python 3.13; unix_events only on Unix).
LOOP_CLASS_NAMES = [
    (module, name)
    for module in (asyncio, getattr(asyncio, "unix_events", None))
    if module is not None
    for name in ("SelectorEventLoop", "EventLoop")
    if hasattr(module, name)
]


@contextmanager
def only_virtual_clock_loops(exercise: ModuleType) -> Iterator[None]:
    """Every loop made inside, through the policy or a loop class, runs on a virtual clock.

    A loop class the exercise imported under its own name (`from asyncio import
    SelectorEventLoop`) is replaced in the exercise too. The originals are back before the
    test ends: the kit checks after each test that asyncio's names still hold what they did.
    """
    previous_policy = asyncio.get_event_loop_policy()
    originals = [(module, name, getattr(module, name)) for module, name in LOOP_CLASS_NAMES]
    classes = [loop_class for _, _, loop_class in originals]
    originals += [
        (exercise, name, value)
        for name, value in list(vars(exercise).items())
        if any(value is loop_class for loop_class in classes)
    ]
    asyncio.set_event_loop_policy(VirtualClockLoops())
    for owner, name, _ in originals:
        setattr(owner, name, VirtualClockLoop)
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
        asyncio.set_event_loop_policy(previous_policy)


async def slow_add(a: int, b: int) -> tuple[int, float]:
    """The sum of a and b after 3540.3 s, with the loop time it finished at.

    On a loop made before the test (a minute of real sleep) it fails at once instead.
    """
    if not isinstance(asyncio.get_running_loop(), VirtualClockLoop):
        raise AssertionError(
            "run_job ran the job on an event loop that it did not make during this call "
            "(one made when the module was imported and used again, say). Each call needs "
            "a new loop of its own, made inside run_job and closed when the job is done: "
            "asyncio.run(job) does both."
        )
    await asyncio.sleep(3540.3)
    return a + b, asyncio.get_running_loop().time()


def test_a_slow_job_is_run_however_long_it_takes(exercise):
    # A minute of sleep costs no real time on a virtual-clock loop, so every loop made
    # during this test is one, however the answer makes it.
    with only_virtual_clock_loops(exercise):
        try:
            result = run_job(exercise, slow_add(2, 3))
        except TimeoutError as error:
            result = error
    assert result == (5, 3540.3), (
        f"run_job(slow_add(2, 3)), a job that sleeps for 3540.3 s, gave {result!r}; expected "
        "its result (5, 3540.3), returned when it finished at t=3540.3 s. Run the job until it "
        "is done, however long that takes, with no timeout to guess."
    )
