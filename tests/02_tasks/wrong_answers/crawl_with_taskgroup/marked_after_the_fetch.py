"""Wrong: marks a url as fetched only once its fetch is done, so two pages can both fetch it."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    """Fetch `start` and the pages reachable from it within `depth` links; return their urls."""
    fetched: set[str] = set()

    async def visit(url: str, level: int, group: asyncio.TaskGroup) -> None:
        links = await fetch_links(url)
        fetched.add(url)
        if level == depth:
            return
        for link in links:
            if link not in fetched:
                group.create_task(visit(link, level + 1, group))

    async with asyncio.TaskGroup() as group:
        group.create_task(visit(start, 0, group))
    return fetched
