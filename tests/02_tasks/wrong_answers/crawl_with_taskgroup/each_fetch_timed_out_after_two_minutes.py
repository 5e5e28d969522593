"""Wrong: gives every fetch a guessed two-minute timeout: a slower page fails the crawl."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    fetched = {start}

    async def visit(url: str, level: int, group: asyncio.TaskGroup) -> None:
        async with asyncio.timeout(120):
            links = await fetch_links(url)
        if level == depth:
            return
        for link in links:
            if link not in fetched:
                fetched.add(link)
                group.create_task(visit(link, level + 1, group))

    async with asyncio.TaskGroup() as group:
        group.create_task(visit(start, 0, group))
    return fetched
