"""Wrong: numbers ties with the queue's size, which shrinks as jobs are taken."""

import asyncio
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[None]]


class Dispatcher:
    """Runs submitted jobs one at a time, the most urgent first."""

    def __init__(self) -> None:
        self.errors: list[Exception] = []
        self._jobs: asyncio.PriorityQueue[tuple[int, int, Job]] = asyncio.PriorityQueue()

    def submit(self, priority: int, job: Job) -> None:
        """Queue `job` to run once the more urgent jobs before it have run."""
        self._jobs.put_nowait((priority, self._jobs.qsize(), job))

    async def run(self) -> None:
        """Run jobs, most urgent first, until cancelled."""
        while True:
            _, _, job = await self._jobs.get()
            try:
                await job()
            except Exception as error:
                self.errors.append(error)
