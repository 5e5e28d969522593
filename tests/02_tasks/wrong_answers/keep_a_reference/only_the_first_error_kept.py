"""Wrong: keeps only the first error in self._errors, dropping those of the jobs that fail later."""

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
        task = asyncio.create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None and not self._errors:
            self._errors.append(task.exception())  # type: ignore[arg-type]

    async def wait_all(self) -> None:
        """Wait until no job is running, then raise the first error a job raised, if any."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))
        if self._errors:
            first, self._errors = self._errors[0], []
            raise first
