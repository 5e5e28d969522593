"""Wrong: skips an error already in self._errors, so two jobs failing with one error count once."""

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

        def finished(done: asyncio.Task[None]) -> None:
            self._tasks.discard(done)
            error = None if done.cancelled() else done.exception()
            if error is not None and error not in self._errors:  # "no duplicates"
                self._errors.append(error)

        task.add_done_callback(finished)
        return task

    async def wait_all(self) -> None:
        """Wait until no job is running, then raise the first error a job raised, if any."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))
        if self._errors:
            first, self._errors = self._errors[0], []
            raise first
