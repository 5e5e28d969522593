"""Wrong: uses a TaskGroup per level, so a slow page still holds up the next level."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    """Fetch `start` and the pages reachable from it within `depth` links; return their urls."""
    fetched: set[str] = set()
    level = {start}
    for _ in range(depth + 1):
        fetched |= level
        async with asyncio.TaskGroup() as group:
            fetches = [group.create_task(fetch_links(url)) for url in level]
        level = {link for fetch in fetches for link in fetch.result()} - fetched
    return fetched
