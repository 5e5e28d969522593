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
        # TODO: queue the jobs by priority, then by the order they were submitted.
        self._jobs: asyncio.Queue[Job] = asyncio.Queue()

    def submit(self, priority: int, job: Job) -> None:
        """Queue `job` to run once the more urgent jobs before it have run."""
        # TODO: put what the priority queue needs to order this job.
        self._jobs.put_nowait(job)

    async def run(self) -> None:
        """Run jobs, most urgent first, until cancelled."""
        while True:
            # TODO: take the job out of what submit() put in.
            job = await self._jobs.get()
            try:
                await job()
            except Exception as error:
                self.errors.append(error)
