"""Wrong: takes "no result, no error" for a cancellation, so a job returning None is "cancelled"."""

import asyncio
from collections.abc import Callable
from typing import Any


def track(name: str, job: asyncio.Future[Any], report: Callable[[str], None]) -> None:
    """Call `report` with one line describing how `job` finished, as soon as it does."""

    def on_done(finished: asyncio.Future[Any]) -> None:
        result = error = None
        if not finished.cancelled():
            error = finished.exception()
            if error is None:
                result = finished.result()
        if result is not None:
            report(f"{name} done: {result}")
        elif error is not None:
            report(f"{name} failed: {error!r}")
        else:
            report(f"{name} cancelled")

    job.add_done_callback(on_done)
