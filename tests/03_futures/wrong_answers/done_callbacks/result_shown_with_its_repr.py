"""Wrong: shows the result with its repr too, so a text result comes out in quotes."""

import asyncio
from collections.abc import Callable
from typing import Any


def track(name: str, job: asyncio.Future[Any], report: Callable[[str], None]) -> None:
    """Call `report` with one line describing how `job` finished, as soon as it does."""

    def on_done(finished: asyncio.Future[Any]) -> None:
        if finished.cancelled():
            report(f"{name} cancelled")
        elif (error := finished.exception()) is not None:
            report(f"{name} failed: {error!r}")
        else:
            report(f"{name} done: {finished.result()!r}")

    job.add_done_callback(on_done)
