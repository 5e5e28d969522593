"""Wrong: its own set of tasks and asyncio.wait; when crawl is cancelled, they keep running."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    """Fetch `start` and the pages reachable from it within `depth` links; return their urls."""
    fetched = {start}
    tasks: set[asyncio.Task[None]] = set()

    async def visit(url: str, level: int) -> None:
        links = await fetch_links(url)
        if level == depth:
            return
        for link in links:
            if link not in fetched:
                fetched.add(link)
                tasks.add(asyncio.create_task(visit(link, level + 1)))

    tasks.add(asyncio.create_task(visit(start, 0)))
    while unfinished := {task for task in tasks if not task.done()}:
        await asyncio.wait(unfinished, return_when=asyncio.FIRST_EXCEPTION)
        errors = [
            error
            for task in tasks
            if task.done() and not task.cancelled() and (error := task.exception()) is not None
        ]
        if errors:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
            raise ExceptionGroup("crawl failed", errors)
    return fetched
