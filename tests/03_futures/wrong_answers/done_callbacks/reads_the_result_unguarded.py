"""Wrong: the callback reads job.result() unguarded, which raises for failed or cancelled jobs."""

import asyncio
from collections.abc import Callable
from typing import Any


def track(name: str, job: asyncio.Future[Any], report: Callable[[str], None]) -> None:
    """Call `report` with one line describing how `job` finished, as soon as it does."""
    job.add_done_callback(lambda finished: report(f"{name} done: {finished.result()}"))
