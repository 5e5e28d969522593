"""Wrong: builds the error's "repr" from its type name and message, not with repr() itself."""

import asyncio
from collections.abc import Callable
from typing import Any


def track(name: str, job: asyncio.Future[Any], report: Callable[[str], None]) -> None:
    """Call `report` with one line describing how `job` finished, as soon as it does."""

    def on_done(finished: asyncio.Future[Any]) -> None:
        if finished.cancelled():
            report(f"{name} cancelled")
        elif (error := finished.exception()) is not None:
            report(f"{name} failed: {type(error).__name__}({str(error)!r})")
        else:
            report(f"{name} done: {finished.result()}")

    job.add_done_callback(on_done)
