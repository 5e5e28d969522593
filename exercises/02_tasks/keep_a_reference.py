"""Start background jobs and keep hold of them.

`Jobs` runs coroutines in the background. `jobs.start(job)` wraps the coroutine `job` in a
task and returns that task at once, without waiting for it; callers usually drop it. The
event loop keeps only a weak reference to a task, so a task that nobody else holds on to
can be garbage-collected before it finishes, and an error it raises goes nowhere.

Write `start` so that `Jobs` keeps every job's task in `self._tasks` while it runs and
lets go of it as soon as it is done. When a job fails, put its error in `self._errors`
(in the order the jobs fail); a job whose task ended cancelled did not fail, but one that
raised an error, even after a cancel(), did. The rest is given:

- `jobs.running` is how many started jobs have not finished yet;
- `await jobs.wait_all()` waits until no job is running, then raises the error of the
  first job that failed, if any.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any


class Jobs:
    """Background jobs that are kept alive until they finish, and whose errors are kept."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._errors: list[BaseException] = []

    @property
    def running(self) -> int:
        """How many started jobs have not finished yet."""
        return len(self._tasks)

    def start(self, job: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run `job` in the background and return its task at once."""
        # TODO: keep the task in self._tasks until it is done; then drop it and keep its error.
        raise NotImplementedError

    async def wait_all(self) -> None:
        """Wait until no job is running, then raise the first error a job raised, if any."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))
        if self._errors:
            first, self._errors = self._errors[0], []
            raise first
