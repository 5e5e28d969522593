"""Wrong: polls job.done() every 0.5 s from a background task, so reports come late."""

import asyncio
from collections.abc import Callable
from typing import Any

_pollers: set[asyncio.Task[None]] = set()


def track(name: str, job: asyncio.Future[Any], report: Callable[[str], None]) -> None:
    """Call `report` with one line describing how `job` finished, as soon as it does."""

    async def poll() -> None:
        while not job.done():  # noqa: ASYNC110 (the mistake on show)
            await asyncio.sleep(0.5)
        if job.cancelled():
            report(f"{name} cancelled")
        elif job.exception() is not None:
            report(f"{name} failed: {job.exception()!r}")
        else:
            report(f"{name} done: {job.result()}")

    poller = asyncio.create_task(poll())
    _pollers.add(poller)
    poller.add_done_callback(_pollers.discard)
