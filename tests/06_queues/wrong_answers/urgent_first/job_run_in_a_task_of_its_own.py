"""Wrong: runs each job in a task of its own, which cancelling the worker leaves running."""

import asyncio
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[None]]


class Dispatcher:
    """Runs submitted jobs one at a time, the most urgent first."""

    def __init__(self) -> None:
        self.errors: list[Exception] = []
        # A rising counter breaks ties in submission order, and stops the comparison before
        # it reaches the jobs themselves.
        self._jobs: asyncio.PriorityQueue[tuple[int, int, Job]] = asyncio.PriorityQueue()
        self._submitted = 0

    def submit(self, priority: int, job: Job) -> None:
        """Queue `job` to run once the more urgent jobs before it have run."""
        # The tuple sorts by priority first, then by submission number.
        self._submitted += 1
        self._jobs.put_nowait((priority, self._submitted, job))

    async def run(self) -> None:
        """Run jobs, most urgent first, until cancelled."""
        while True:
            _, _, job = await self._jobs.get()
            running = asyncio.ensure_future(job())
            await asyncio.wait({running})
            error = None if running.cancelled() else running.exception()
            if isinstance(error, Exception):
                self.errors.append(error)
