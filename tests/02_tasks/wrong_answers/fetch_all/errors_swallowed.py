"""Wrong: overlaps the downloads but hides a failed download's error behind a None page."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    """Download every url concurrently and return the pages in the order of `urls`."""
    results = await asyncio.gather(*(download(url) for url in urls), return_exceptions=True)
    return [page if isinstance(page, str) else "" for page in results]
