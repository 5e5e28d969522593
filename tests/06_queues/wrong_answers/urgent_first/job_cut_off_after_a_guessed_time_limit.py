"""Wrong: gives each job at most 30 s, then records a TimeoutError and moves on."""

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
            # Only the job matters here; the numbers were for the queue's ordering.
            _, _, job = await self._jobs.get()
            try:
                await asyncio.wait_for(job(), 30)
            except Exception as error:
                self.errors.append(error)
