"""Wrong: fetches the start page outside the TaskGroup, so its failure comes out bare."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    fetched = {start}
    links = await fetch_links(start)
    if depth == 0:
        return fetched

    async def visit(url: str, level: int, group: asyncio.TaskGroup) -> None:
        found = await fetch_links(url)
        if level < depth:
            follow(found, level + 1, group)

    def follow(found: list[str], level: int, group: asyncio.TaskGroup) -> None:
        for link in found:
            if link not in fetched:
                fetched.add(link)
                group.create_task(visit(link, level, group))

    async with asyncio.TaskGroup() as group:
        follow(links, 1, group)
    return fetched
