"""Wrong: tests the result for truthiness, so a job returning 0, "" or None is shown as failed."""

import asyncio
from collections.abc import Callable
from typing import Any


def track(name: str, job: asyncio.Future[Any], report: Callable[[str], None]) -> None:
    """Call `report` with one line describing how `job` finished, as soon as it does."""

    def on_done(finished: asyncio.Future[Any]) -> None:
        result = None if finished.cancelled() or finished.exception() else finished.result()
        if result:
            report(f"{name} done: {result}")
        elif not finished.cancelled():
            report(f"{name} failed: {finished.exception()!r}")
        else:
            report(f"{name} cancelled")

    job.add_done_callback(on_done)
