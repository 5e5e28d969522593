"""Wrong: takes a job asked to cancel (task.cancelling()) for cancelled, so its error is lost."""

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
        return len(self._tasks)

    def start(self, job: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(job)
        self._tasks.add(task)

        def finished(done: asyncio.Task[None]) -> None:
            self._tasks.discard(done)
            if done.cancelling():
                return
            error = done.exception()
            if error is not None:
                self._errors.append(error)

        task.add_done_callback(finished)
        return task

    async def wait_all(self) -> None:
        while self._tasks:
            await asyncio.wait(set(self._tasks))
        if self._errors:
            first, self._errors = self._errors[0], []
            raise first
