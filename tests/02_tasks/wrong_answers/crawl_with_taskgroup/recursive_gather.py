"""Wrong: follows links at once with nested gathers, so a failure cancels nothing."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    """Fetch `start` and the pages reachable from it within `depth` links; return their urls."""
    fetched = {start}

    async def visit(url: str, level: int) -> None:
        links = await fetch_links(url)
        if level == depth:
            return
        new = [link for link in links if link not in fetched]
        fetched.update(new)
        await asyncio.gather(*(visit(link, level + 1) for link in new))

    await visit(start, 0)
    return fetched
