"""Wrong: creates each task and awaits it before creating the next, so nothing overlaps."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    """Download every url concurrently and return the pages in the order of `urls`."""
    pages = []
    for url in urls:
        task = asyncio.create_task(download(url))
        pages.append(await task)
    return pages
