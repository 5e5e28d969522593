"""The event loop every exercise test runs on: looptime's virtual clock plus deadlock detection.

looptime fast-forwards the loop's clock whenever every task is waiting for a timer, so a
ten-second ``asyncio.sleep`` costs microseconds of real time and ``loop.time()`` reads
exactly 10.0 afterwards. With ``idle_timeout=0`` it also fails at once when every task is
waiting and nothing (no timer, no I/O, no executor job) could ever wake them: a deadlock.
"""

from __future__ import annotations

import asyncio
from typing import Any

import looptime

DEADLOCK_ERROR = looptime.IdleTimeoutError


class VirtualClockLoop(looptime.LoopTimeEventLoop, asyncio.SelectorEventLoop):
    """A selector event loop on a virtual clock that starts at 0.0 and records loop errors."""

    def __init__(self) -> None:
        # start=0: tests read loop.time() as "seconds since the test began".
        # noop_cycles=1: one idle pass before the clock jumps lets callbacks that were just
        # scheduled run first; exercises are pure asyncio, so more passes only cost time.
        super().__init__(start=0, idle_timeout=0, noop_cycles=1)
        self.unhandled_errors: list[dict[str, Any]] = []
        self.set_exception_handler(self._record_unhandled_error)

    def _record_unhandled_error(
        self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]
    ) -> None:
        """Keep what asyncio would have logged (e.g. "Task exception was never retrieved")."""
        self.unhandled_errors.append(context)

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


def new_virtual_clock_loop() -> VirtualClockLoop:
    """The loop factory handed to pytest-asyncio."""
    return VirtualClockLoop()
