"""Wrong: crawls in a TaskGroup, but raises a new ExceptionGroup with its own message."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    """Fetch `start` and the pages reachable from it within `depth` links; return their urls."""
    fetched = {start}

    async def visit(url: str, level: int, group: asyncio.TaskGroup) -> None:
        links = await fetch_links(url)
        if level == depth:
            return
        for link in links:
            if link not in fetched:
                fetched.add(link)
                group.create_task(visit(link, level + 1, group))

    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(visit(start, 0, group))
    except ExceptionGroup as errors:
        # "A message that says which crawl failed."
        raise ExceptionGroup(f"crawl of {start} failed", list(errors.exceptions)) from None
    return fetched
