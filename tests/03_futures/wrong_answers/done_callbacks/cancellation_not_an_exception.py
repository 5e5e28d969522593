"""Wrong: catches Exception around result(), but CancelledError is not an Exception."""

import asyncio
from collections.abc import Callable
from typing import Any


def track(name: str, job: asyncio.Future[Any], report: Callable[[str], None]) -> None:
    """Call `report` with one line describing how `job` finished, as soon as it does."""

    def on_done(finished: asyncio.Future[Any]) -> None:
        try:
            result = finished.result()
        except Exception as error:
            report(f"{name} failed: {error!r}")
        else:
            report(f"{name} done: {result}")

    job.add_done_callback(on_done)
