"""The event loop every exercise test runs on: looptime's virtual clock plus deadlock detection.

looptime fast-forwards the loop's clock whenever every task is waiting for a timer, so a
ten-second ``asyncio.sleep`` costs microseconds of real time and ``loop.time()`` reads
exactly 10.0 afterwards. With ``idle_timeout=0`` it also fails at once when every task is
waiting and nothing (no timer, no I/O) could ever wake them: a deadlock.

Executor jobs (``run_in_executor``, ``asyncio.to_thread``) take no virtual time: before the
clock moves on, the loop gives running jobs a short real-time grace to report back.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import selectors
import sys
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import looptime

from grader.inside.detectors import learner_caller, where_tasks_wait
from grader.inside.endless import EndlessWork

DEADLOCK_ERROR = looptime.IdleTimeoutError
# Real seconds to wait for executor jobs before the virtual clock moves on. Exercise jobs
# finish in microseconds; only a job that itself waits for the loop uses the whole grace.
_EXECUTOR_GRACE = 0.02

SelectResult = list[tuple[selectors.SelectorKey, int]]


class VirtualClockLoop(looptime.LoopTimeEventLoop, asyncio.SelectorEventLoop):
    """A selector event loop on a virtual clock that starts at 0.0 and records loop errors."""

    def __init__(self) -> None:
        # start=0: tests read loop.time() as "seconds since the test began".
        # noop_cycles=1: one idle pass before the clock jumps lets callbacks that were just
        # scheduled run first; exercises are pure asyncio, so more passes only cost time.
        super().__init__(start=0, idle_timeout=0, noop_cycles=1)
        self.unhandled_errors: list[dict[str, Any]] = []
        self.set_exception_handler(self._record_unhandled_error)
        self.set_task_factory(_task_recording_its_creator)
        self._executor_jobs: weakref.WeakSet[asyncio.Future[Any]] = weakref.WeakSet()
        self.waiting_at: list[str] = []
        self.endless = EndlessWork(self, lambda: _where_tasks_wait(self))
        # Hashes for the tasks created next, when a test chooses them; None otherwise.
        self.task_hashes: Iterator[int] | None = None
        real_select = type(self._selector).select.__get__(self._selector)
        virtual_select = self._selector.select  # looptime's replacement
        self._selector.select = self._waiting_for_executor_jobs(  # type: ignore[method-assign,assignment]
            real_select, virtual_select
        )

    def _record_unhandled_error(
        self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]
    ) -> None:
        """Keep what asyncio would have logged (e.g. "Task exception was never retrieved")."""
        self.unhandled_errors.append(context)

    def run_in_executor(  # type: ignore[override]
        self, executor: concurrent.futures.Executor | None, func: Callable[..., Any], *args: Any
    ) -> asyncio.Future[Any]:
        """Run ``func`` in an executor; the clock waits for it (see _waiting_for_executor_jobs)."""
        # Bypass looptime's version, which keeps virtual and real time in step while a job
        # runs: that would make a one-second virtual wait cost a real second.
        future = asyncio.SelectorEventLoop.run_in_executor(self, executor, func, *args)
        self._executor_jobs.add(future)
        return future

    def _waiting_for_executor_jobs(
        self,
        real_select: Callable[[float | None], SelectResult],
        virtual_select: Callable[[float | None], SelectResult],
    ) -> Callable[[float | None], SelectResult]:
        def select(timeout: float | None = None) -> SelectResult:
            jobs = self._executor_jobs
            jobs_running = bool(jobs) and any(not job.done() for job in jobs)
            self.endless.entering_select(self.time(), timeout, jobs_running)
            try:
                return passes(timeout, jobs_running)
            finally:
                self.endless.leaving_select()

        def passes(timeout: float | None, jobs_running: bool) -> SelectResult:
            if timeout is None and not jobs_running and not self._watches_other_files():
                # Nothing is scheduled and nothing outside could wake a task: a deadlock.
                self._declare_deadlock()
                return []
            if timeout != 0 and jobs_running:
                # A job that reports back wakes the selector; otherwise time moves on (or,
                # with nothing scheduled, the loop asks again: a thread may still wake it).
                grace = _EXECUTOR_GRACE if timeout is None else min(timeout, _EXECUTOR_GRACE)
                ready = real_select(grace)
                if ready or timeout is None:
                    return ready
            return virtual_select(timeout)

        return select

    def _declare_deadlock(self) -> None:
        """Fail every waiting task with the deadlock error, the same way for every deadlock.

        Only plain futures receive the error: a task that awaits another task wakes when
        that one fails (looptime's own version sets it on the awaited task, which raises).
        """
        if not self.waiting_at:
            self.waiting_at = _where_tasks_wait(self)
        tasks = [task for task in asyncio.all_tasks(self) if not task.done()]
        woken = False
        for task in tasks:
            waiter = getattr(task, "_fut_waiter", None)
            if waiter is not None and not isinstance(waiter, asyncio.Task) and not waiter.done():
                # One error each: a shared one would collect every task's traceback.
                waiter.set_exception(DEADLOCK_ERROR("every task waits; nothing can wake them"))
                woken = True
        if not woken:
            for task in tasks:
                task.cancel()

    def _watches_other_files(self) -> bool:
        """Whether the selector watches anything beyond the loop's own wake-up socket."""
        own = getattr(self, "_ssock", None)
        own_fd = own.fileno() if own is not None else -1
        return any(key.fd != own_fd for key in self._selector.get_map().values())

    def run_forever(self) -> None:
        """Run the loop, watched for busy loops (see grader.inside.endless)."""
        self.endless.running()
        try:
            super().run_forever()
        finally:
            self.endless.stopped()

    # The signature is asyncio's own, timeout parameter included.
    async def shutdown_default_executor(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Join the default executor's threads synchronously.

        asyncio's version waits for a helper thread to call back into the loop, which the
        deadlock detector would take for an idle loop. Exercise threads finish at once, so
        joining them here is quick.
        """
        executor = self._default_executor  # type: ignore[attr-defined]
        self._executor_shutdown_called = True
        if executor is not None:
            executor.shutdown(wait=True)


def _where_tasks_wait(loop: asyncio.AbstractEventLoop) -> list[str]:
    """Where each task was waiting, in learner code (see grader.inside.detectors)."""
    return where_tasks_wait(loop)


class LearnerTask(asyncio.Task[Any]):
    """A task that remembers the line of learner code that created it, if any.

    A test may also choose its hash (see ``grader.inside.testing.set_order_of_new_tasks``), which
    decides where the task lands in a set.
    """

    created_at: str | None = None

    def __init__(self, coro: Any, *, chosen_hash: int | None = None, **kwargs: Any) -> None:
        self.chosen_hash = chosen_hash  # before Task.__init__, which files the task in a set
        super().__init__(coro, **kwargs)

    def __hash__(self) -> int:
        return object.__hash__(self) if self.chosen_hash is None else self.chosen_hash


def _task_recording_its_creator(
    loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any
) -> asyncio.Task[Any]:
    hashes = getattr(loop, "task_hashes", None)
    chosen = next(hashes) if hashes is not None else None
    task = LearnerTask(coro, loop=loop, chosen_hash=chosen, **kwargs)
    task.created_at = learner_caller(sys._getframe(1))
    return task
