"""Fakes shared by the thread exercises: a blocking library the kit's detector knows.

A fake blocking call really blocks the thread that makes it, for a stretch of the event
loop's virtual time: from a worker thread it asks the loop (call_soon_threadsafe) to set a
timer, then waits on a threading.Event that the timer sets. Called on the event loop's
thread it is refused by the kit's blocking-call detector, like time.sleep(), with a message
that names the call and the learner's line.

Margins: the kit's loop gives running executor jobs a 20 ms real-time grace to report back
before the clock moves on (grader/inside/virtual_clock.py). A worker thread asks for its
timer within microseconds of starting, so its call starts at the loop time it was
submitted at; only a thread kept off the CPU for longer than the grace would start late.
A thread whose timer never fires (the loop stopped first) gives up after REAL_LIMIT. Once
the test is over (release_all), a call that starts only then returns at once, so that a
job an answer left behind (executor.map in an abandoned thread, say) cannot hold up the
pool's shutdown.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from grader.inside.detectors import BlockingCallGuard
from grader.inside.testing import Span, Timeline

# Real seconds a fake call waits for its timer before it gives up (a stopped loop).
REAL_LIMIT = 5.0


class BlockingLibrary:
    """Blocking calls that each hold their thread for a set time of the loop's clock."""

    def __init__(self, loop: asyncio.AbstractEventLoop, guard: BlockingCallGuard) -> None:
        self.loop = loop
        self.guard = guard
        self.timeline = Timeline()
        self.threads: list[int] = []
        self._waiting: list[threading.Event] = []
        self._calls_running = 0
        self._changed = threading.Condition()
        self._released = False

    def blocking(
        self, name: str, advice: str, work: Callable[..., tuple[str, float, Callable[[], Any]]]
    ) -> Callable[..., Any]:
        """A blocking call named `name`, refused on the event loop's thread.

        `work(*args, **kwargs)` returns (label, seconds, finish): the call is recorded on the
        timeline as `label`, blocks for `seconds` of loop time (if any), then returns finish().
        """

        def call(*args: Any, **kwargs: Any) -> Any:
            label, seconds, finish = work(*args, **kwargs)
            self.threads.append(threading.get_ident())
            with self._changed:
                self._calls_running += 1
            try:
                if seconds:
                    self.hold(label, seconds)
                return finish()
            finally:
                with self._changed:
                    self._calls_running -= 1
                    self._changed.notify_all()

        call.__name__ = call.__qualname__ = name
        # The detector's own wrapper, so a call on the loop's thread is reported exactly
        # like time.sleep() would be: recorded, and failing the test with this advice.
        return self.guard._guarded(call, name, advice)

    def hold(self, label: str, seconds: float) -> None:
        """Block this (worker) thread for `seconds` of loop time, recorded as `label`."""
        finished = threading.Event()
        self._waiting.append(finished)
        # Checked after the append: release_all sets the flag before it sets the events, so
        # a call either sees the flag or has its event set.
        if self._released:
            finished.set()
            return
        span = Span(label, start=-1.0)

        def start() -> None:
            span.start = self.loop.time()
            self.timeline.spans.append(span)
            self.loop.call_later(seconds, end)

        def end() -> None:
            span.end, span.outcome = self.loop.time(), "done"
            finished.set()

        self.loop.call_soon_threadsafe(start)
        if not finished.wait(REAL_LIMIT):
            raise RuntimeError(f"{label}: the event loop stopped before the call finished")

    async def finished(self) -> None:
        """Wait until every call has returned, even one whose caller stopped waiting.

        The wait is itself an executor job, so the loop keeps giving threads their grace
        (and running what they hand it) instead of taking the quiet for a deadlock.
        """

        def wait_for_calls() -> None:
            with self._changed:
                if not self._changed.wait_for(lambda: self._calls_running == 0, REAL_LIMIT):
                    raise RuntimeError("a blocking call never returned")

        await asyncio.to_thread(wait_for_calls)

    def release_all(self) -> None:
        """Let every thread still blocked go, and any call that starts later (the test is over)."""
        self._released = True
        for finished in list(self._waiting):
            finished.set()


@pytest.fixture
async def library(request: pytest.FixtureRequest) -> AsyncIterator[BlockingLibrary]:
    """A blocking library on the running test's loop; threads it blocks are freed at the end."""
    plugin = request.config.pluginmanager.get_plugin("asyncio-kit")
    made = BlockingLibrary(asyncio.get_running_loop(), plugin.guard)
    yield made
    made.release_all()
