"""Wrong: polls job.done() from a background task, so each report comes late."""

import asyncio
from collections.abc import Callable
from typing import Any


def track(name: str, job: asyncio.Future[Any], report: Callable[[str], None]) -> None:
    """Call `report` with one line describing how `job` finished, as soon as it does."""

    async def poll() -> None:
        while not job.done():  # noqa: ASYNC110 (the mistake on show)
            await asyncio.sleep(0.2)
        if job.cancelled():
            report(f"{name} cancelled")
        elif job.exception() is not None:
            report(f"{name} failed: {job.exception()!r}")
        else:
            report(f"{name} done: {job.result()}")

    asyncio.create_task(poll())  # noqa: RUF006
