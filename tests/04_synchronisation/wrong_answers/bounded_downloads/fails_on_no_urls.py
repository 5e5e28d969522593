"""Wrong: keeps a window of tasks with asyncio.wait, which refuses the empty set of no urls."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    tasks: list[asyncio.Task[str]] = []
    running: set[asyncio.Task[str]] = set()
    for url in urls:
        if len(running) >= limit:
            _, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
        task = asyncio.create_task(download(url))
        tasks.append(task)
        running.add(task)
    await asyncio.wait(running)  # ValueError when there were no urls at all
    return [task.exception() or task.result() for task in tasks]
