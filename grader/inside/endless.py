"""Instant verdicts on work that never ends, for the virtual-clock loop.

Three shapes of endless work, each caught long before pytest-timeout's backstop:

- a **busy loop**: the loop's thread has not come back to the event loop for a quarter
  second of its CPU time. A watchdog thread notices, names the learner line the thread is
  on, and raises :class:`BusyLoopInterrupt` inside it.
- **polling without time**: the loop keeps cycling, but its clock has not moved for a
  quarter second of the thread's CPU time (``while not done: await asyncio.sleep(0)``).
- an **endless await loop**: the clock is about to pass the horizon, an hour of loop time,
  far beyond any exercise (``while True: await asyncio.sleep(1)``).

Each catch is a :class:`Finding` on the loop. Once one test of an exercise ended in one,
its other tests fail at once, with :func:`not_run_report` as their message, instead of
running the same code into the same wait (see ``grader.inside.plugin``).

The loop calls :meth:`EndlessWork.entering_select` and :meth:`EndlessWork.leaving_select`
around every pass of its selector; everything else lives here.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from grader.inside.detectors import learner_caller, where_tasks_wait

# Threads of the kit itself (this watchdog) that never wake the loop: the virtual clock
# does not wait for them as it waits for threads that may report back.
KIT_THREADS: weakref.WeakSet[threading.Thread] = weakref.WeakSet()

# The limits below are in seconds of the loop thread's own CPU time: on a loaded machine the
# time it waits for a core does not count, so they can be short without blaming honest code,
# which gives control back within microseconds. Once endless work was seen in a run, later
# cases are reported sooner.
# Loop time (seconds since the test began) past which work counts as endless.
HORIZON = 3600.0
# Loop time, and CPU seconds of running, that together also count as endless: no exercise
# needs this much of either, and waking every tenth of a second takes long to reach an hour.
_LONG_LOOP_TIME, _LONG_RUN, _LONG_RUN_AGAIN = 300.0, 0.25, 0.1
# CPU seconds without coming back to the event loop before a busy loop is reported; real
# seconds where the watchdog cannot read another thread's CPU time (it can on Linux).
BUSY_LIMIT, BUSY_LIMIT_AGAIN = 0.25, 0.1
_BUSY_REAL_LIMIT = 0.5
# The watchdog must see the loop stuck this many times in a row, so that a process that was
# merely descheduled for a while (the watchdog then wakes up once, late) is not blamed.
_STUCK_OBSERVATIONS = 4
_WATCHDOG_TICK = 0.05
# Real seconds the watchdog thread stays after the last loop stopped (see _Watchdog).
_LINGER = 0.25
# Loop passes at one instant of loop time, and CPU seconds spent on them, that make a poll.
_POLL_PASSES, _POLL_SECONDS, _POLL_SECONDS_AGAIN = 2000, 0.25, 0.1
# Loop time the clock may creep by and still count as one instant: polling with
# `sleep(0.000001)` moves it a microsecond a pass, which would take hours of real time to
# reach a test's next event; no exercise needs thousands of passes within 10 ms.
_POLL_CREEP = 0.01


class EndlessWorkError(Exception):
    """Raised out of the loop's selector: its report is the learner's message."""


@dataclass(frozen=True)
class Finding:
    """One catch of endless work: what it was, where the learner's code was, the report."""

    what: str  # "a busy loop", as a sentence would name it
    places: tuple[str, ...]  # "at exercises/02_tasks/fetch_all.py:3: while True:", ...
    report: str  # the whole message for the learner


def not_run_report(test: str, finding: Finding) -> str:
    """The message of a test not run because the test ``test`` met ``finding`` first."""
    where = _listed(finding.places)
    return (
        f"Not run: the test '{test}' never ended ({finding.what}), and this test would run "
        "the same code into it again." + where + "\nFix that first (its own message says how); "
        "then this test runs again."
    )


class BusyLoopInterrupt(BaseException):
    """Raised inside learner code that spins; a BaseException, so `except Exception` misses it.

    The watchdog raises a subclass made for each finding, whose ``report`` says where.
    """

    report = "A busy loop was stopped."

    def __str__(self) -> str:
        return self.report


def _seen_before() -> bool:
    """Whether this run already caught endless work: the learner's code is known to spin."""
    return _Watchdog.found > 0


class EndlessWork:
    """The per-loop state behind the three checks."""

    def __init__(self, loop: asyncio.AbstractEventLoop, waiting_at: Callable[[], list[str]]):
        self._loop = weakref.ref(loop)
        self._waiting_at = waiting_at
        self.in_select = False
        self.last_beat = time.perf_counter()
        self.thread_id: int | None = None
        self.cpu_clock: int | None = None  # the loop thread's CPU-time clock, when readable
        self.horizon_reported = False
        self._clock_seen = 0.0
        self._passes_at_this_instant = 0
        self._instant_began = self._run_began = time.thread_time()
        self.finding: Finding | None = None  # the first endless work caught on this loop

    # -- called by the loop ---------------------------------------------------------------

    def running(self) -> None:
        """The loop starts running on this thread: watch it."""
        self.thread_id = threading.get_ident()
        self.cpu_clock = _cpu_clock_of_this_thread()
        self.last_beat = time.perf_counter()
        self._run_began = time.thread_time()
        self.in_select = False
        _Watchdog.watch(self)

    def stopped(self) -> None:
        """The loop stopped running."""
        self.thread_id = None
        _Watchdog.forget(self)

    def entering_select(self, now: float, timeout: float | None, jobs_running: bool) -> None:
        """One pass of the loop: raises EndlessWorkError for a poll or a passed horizon."""
        self.in_select = True
        self.last_beat = time.perf_counter()
        if now - self._clock_seen >= _POLL_CREEP or jobs_running or timeout is None:
            self._clock_seen = now
            self._passes_at_this_instant = 0
        else:
            # The thread's CPU time is read only at instants the loop keeps coming back to.
            self._passes_at_this_instant += 1
            if self._passes_at_this_instant == 1:
                self._instant_began = time.thread_time()
            elif self._passes_at_this_instant >= _POLL_PASSES:
                patience = _POLL_SECONDS_AGAIN if _seen_before() else _POLL_SECONDS
                if time.thread_time() - self._instant_began >= patience:
                    self._passes_at_this_instant = 0
                    self._raise(self._polling(now, now - self._clock_seen))
        if timeout and not self.horizon_reported and self._past_horizon(now + timeout):
            self.horizon_reported = True  # once: cleaning up may need the time to move on
            self._raise(self._past_the_horizon(now))

    def _past_horizon(self, then: float) -> bool:
        if then > HORIZON:
            return True
        if then <= _LONG_LOOP_TIME:
            return False
        spent = time.thread_time() - self._run_began
        return spent > (_LONG_RUN_AGAIN if _seen_before() else _LONG_RUN)

    def leaving_select(self) -> None:
        """The selector returned; the loop runs callbacks again."""
        self.last_beat = time.perf_counter()
        self.in_select = False

    # -- reports --------------------------------------------------------------------------

    def _raise(self, finding: Finding) -> None:
        self.in_select = False
        self.found(finding)
        raise EndlessWorkError(finding.report)

    def found(self, finding: Finding) -> None:
        """Count ``finding`` for the run, and keep it when it is this loop's first."""
        _Watchdog.found += 1
        self.finding = self.finding or finding

    def _places(self, only_ready: bool) -> tuple[str, ...]:
        loop = self._loop()
        places = where_tasks_wait(loop, only_ready) if loop is not None else []
        return tuple(places or self._waiting_at())

    def _past_the_horizon(self, now: float) -> Finding:
        places = self._places(only_ready=False)
        where = _listed(places)
        report = (
            f"Still running at t={now:g} s of event-loop time, and about to wait longer: far "
            "longer than this exercise ever needs, so something awaits in a loop that never "
            "ends."
            + (f"\nWaiting at that moment:{where}" if where else "")
            + "\nGive the loop a condition that ends it (or a `break`), or wait for the event "
            "that matters instead of waking up again and again."
        )
        return Finding("a loop that keeps awaiting forever", places, report)

    def _polling(self, now: float, moved: float) -> Finding:
        places = self._places(only_ready=True)
        where = _listed(places)
        clock = (
            "without its clock moving"
            if moved == 0
            else f"while its clock moved only {moved * 1000:.2g} ms"
        )
        report = (
            f"The event loop went round thousands of times at t={now:g} s {clock}: a loop "
            "keeps polling with `await asyncio.sleep(0)` (or a sleep too short to matter, or "
            "another await that never waits), so the thing it waits for can never happen in "
            "time."
            + (f"\nPolling at:{where}" if where else "")
            + "\nAwait the thing itself (an Event, a Future, a Condition, the task) instead of "
            "checking a flag in a loop."
        )
        return Finding("a polling loop whose awaits never wait", places, report)


def _listed(places: tuple[str, ...]) -> str:
    return "".join(f"\n  - {place}" for place in places)


class _Watchdog:
    """A daemon thread that notices loops whose thread never comes back.

    It starts with the first loop and outlives the last one it watched by _LINGER real
    seconds: starting a thread for each run of a loop (several a test) costs a scheduling
    round trip each time, which a loaded machine makes long. It still ends soon after the
    loops do, so that a hang outside any loop (an import that never returns) does not show
    it in pytest-timeout's dump of every thread.
    """

    _lock = threading.Lock()
    _thread: threading.Thread | None = None
    _idle_since: float | None = None
    _watched: ClassVar[set[EndlessWork]] = set()
    found = 0

    @classmethod
    def watch(cls, work: EndlessWork) -> None:
        with cls._lock:
            cls._watched.add(work)
            cls._idle_since = None
            if cls._thread is None:
                cls._thread = threading.Thread(
                    target=cls._run, name="asyncio-kit busy-loop watchdog", daemon=True
                )
                KIT_THREADS.add(cls._thread)
                cls._thread.start()

    @classmethod
    def forget(cls, work: EndlessWork) -> None:
        with cls._lock:
            cls._watched.discard(work)
            if not cls._watched:
                cls._idle_since = time.perf_counter()

    @classmethod
    def _after_fork(cls) -> None:
        """A forked child has none of the parent's threads: it starts its own watchdog."""
        cls._lock = threading.Lock()
        cls._thread, cls._idle_since = None, None
        cls._watched = set()

    @classmethod
    def _run(cls) -> None:
        # id(work) -> (beat seen, times seen, the loop thread's CPU time when first seen)
        stuck: dict[int, tuple[float, int, float | None]] = {}
        tick = threading.Event()  # never set: a wait on it is the tick
        while True:
            tick.wait(_WATCHDOG_TICK)
            with cls._lock:
                idle_since = cls._idle_since
                if idle_since is not None and time.perf_counter() - idle_since >= _LINGER:
                    cls._thread = None
                    return
                watched = list(cls._watched)
            for gone in stuck.keys() - {id(work) for work in watched}:
                del stuck[gone]
            for work in watched:
                key = id(work)
                thread_id = work.thread_id
                if thread_id is None or work.in_select:
                    stuck.pop(key, None)
                    continue
                beat, seen, cpu_then = stuck.get(key, (-1.0, 0, None))
                if beat != work.last_beat:
                    seen, cpu_then = 0, _cpu_seconds(work.cpu_clock)
                seen += 1
                stuck[key] = (work.last_beat, seen, cpu_then)
                again = _seen_before()
                cpu_now = _cpu_seconds(work.cpu_clock)
                if cpu_then is not None and cpu_now is not None:
                    # Counted from the first sighting, up to a tick after the last beat: a
                    # little less than the thread spent, never more.
                    spun, limit = cpu_now - cpu_then, BUSY_LIMIT_AGAIN if again else BUSY_LIMIT
                else:
                    spun = time.perf_counter() - work.last_beat
                    limit = BUSY_LIMIT_AGAIN if again else _BUSY_REAL_LIMIT
                stopped = seen >= _STUCK_OBSERVATIONS and spun >= limit
                if stopped and _interrupt(work, thread_id, spun):
                    stuck.pop(key, None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_Watchdog._after_fork)

# The code that starts the watchdog: the audit hook lets it start its thread even when
# learner code is on the stack (a loop that learner code runs is watched too).
WATCHDOG_STARTER = vars(_Watchdog)["watch"].__func__.__code__


def _cpu_clock_of_this_thread() -> int | None:
    """The clock of this thread's CPU time, readable from other threads (None where not)."""
    clock_of: Callable[[int], int] | None = getattr(time, "pthread_getcpuclockid", None)
    if clock_of is None:
        return None
    try:
        return clock_of(threading.get_ident())
    except OSError:
        return None


def _cpu_seconds(clock: int | None) -> float | None:
    """A thread's CPU time from its clock; None if it has none or the thread has ended."""
    if clock is None:
        return None
    try:
        return time.clock_gettime(clock)
    except OSError:
        return None


def _interrupt(work: EndlessWork, thread_id: int, spun: float) -> bool:
    """Raise a BusyLoopInterrupt in the loop's thread if it is spinning in learner code."""
    frame = sys._current_frames().get(thread_id)
    where = learner_caller(frame)
    if where is None:
        return False  # not learner code (the test or the grader): the backstop decides
    report = (
        "The event loop did not get control back for a long stretch of real time, so the "
        "grader stopped your code: it keeps running without reaching an `await` that suspends, so "
        "no other task, timer or callback can run (a loop with no `await` in it, or one whose "
        f"condition can only change when other tasks run).\n  spinning at {where}\n"
        "Inside a coroutine, wait with `await` (asyncio.sleep, an Event, a Future) instead of "
        "looping until something changes."
    )
    work.found(Finding("a busy loop", (f"at {where}",), report))
    interrupt: type[BusyLoopInterrupt] = type(
        "BusyLoopInterrupt", (BusyLoopInterrupt,), {"report": report}
    )
    set_async_exc: Any = ctypes.pythonapi.PyThreadState_SetAsyncExc
    set_async_exc(ctypes.c_ulong(thread_id), ctypes.py_object(interrupt))
    return True
