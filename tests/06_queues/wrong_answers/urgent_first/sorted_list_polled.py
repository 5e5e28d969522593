"""Wrong: keeps a sorted list and checks it every 0.1 s while it is empty."""

import asyncio
import bisect
import itertools
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[None]]


class Dispatcher:
    """Runs submitted jobs one at a time, the most urgent first."""

    def __init__(self) -> None:
        self.errors: list[Exception] = []
        self._jobs: list[tuple[int, int, Job]] = []
        self._submitted = itertools.count()

    def submit(self, priority: int, job: Job) -> None:
        """Queue `job` to run once the more urgent jobs before it have run."""
        bisect.insort(self._jobs, (priority, next(self._submitted), job))

    async def run(self) -> None:
        """Run jobs, most urgent first, until cancelled."""
        while True:
            while not self._jobs:  # noqa: ASYNC110 (the mistake on show)
                await asyncio.sleep(0.1)
            _, _, job = self._jobs.pop(0)
            try:
                await job()
            except Exception as error:
                self.errors.append(error)
