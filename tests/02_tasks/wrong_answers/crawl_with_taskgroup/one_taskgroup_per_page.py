"""Wrong: opens a TaskGroup per page, so a failure comes out in groups nested in groups."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    fetched = {start}

    async def visit(url: str, level: int) -> None:
        links = await fetch_links(url)
        if level == depth:
            return
        async with asyncio.TaskGroup() as group:
            for link in links:
                if link not in fetched:
                    fetched.add(link)
                    group.create_task(visit(link, level + 1))

    await visit(start, 0)
    return fetched
