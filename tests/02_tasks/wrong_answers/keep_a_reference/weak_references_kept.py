"""Wrong: keeps weak references to the tasks in self._tasks, so nothing keeps them alive.

A weakref.ref does not stop a task from being garbage-collected any more than the event
loop's own weak reference does; wait_all() was adapted to read the references.
"""

import asyncio
import weakref
from collections.abc import Coroutine
from typing import Any


class Jobs:
    """Background jobs that are kept alive until they finish, and whose errors are kept."""

    def __init__(self) -> None:
        self._tasks: set[Any] = set()
        self._errors: list[BaseException] = []

    @property
    def running(self) -> int:
        """How many started jobs have not finished yet."""
        return len(self._tasks)

    def start(self, job: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run `job` in the background and return its task at once."""
        task = asyncio.create_task(job)
        self._tasks.add(weakref.ref(task))  # "don't leak the task"

        def finished(done: asyncio.Task[None]) -> None:
            self._tasks.discard(weakref.ref(done))
            if not done.cancelled() and (error := done.exception()) is not None:
                self._errors.append(error)

        task.add_done_callback(finished)
        return task

    async def wait_all(self) -> None:
        """Wait until no job is running, then raise the first error a job raised, if any."""
        while self._tasks:
            alive = {task for ref in self._tasks if (task := ref()) is not None}
            if not alive:
                break
            await asyncio.wait(alive)
        if self._errors:
            first, self._errors = self._errors[0], []
            raise first
