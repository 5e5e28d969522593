"""Run the most urgent jobs first.

A `Dispatcher` runs jobs one at a time. `dispatcher.submit(priority, job)` queues `job`,
an async function called with no arguments, and returns at once; a lower `priority` number
is more urgent. `await dispatcher.run()` is the worker: it runs until it is cancelled, and
whenever it is free it starts the most urgent job waiting, and among jobs of the same
priority the one submitted first. The same job may be submitted more than once.

A job that raises does not stop the worker: its error is appended to `dispatcher.errors`.
Cancelling the worker cancels the job it is running, and the worker ends cancelled.

Today the jobs run in the order they were submitted. `asyncio.PriorityQueue` hands out
its smallest item first; note that two items with the same priority are then compared by
whatever comes next in them, and functions cannot be compared.
"""

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
                await job()
            except Exception as error:
                self.errors.append(error)
