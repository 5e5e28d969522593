"""Wrong: claims a page's new links all at once, so a url listed twice on it is fetched twice."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    fetched = {start}

    async def visit(url: str, level: int, group: asyncio.TaskGroup) -> None:
        links = await fetch_links(url)
        if level == depth:
            return
        new = [link for link in links if link not in fetched]
        fetched.update(new)
        for link in new:
            group.create_task(visit(link, level + 1, group))

    async with asyncio.TaskGroup() as group:
        group.create_task(visit(start, 0, group))
    return fetched
