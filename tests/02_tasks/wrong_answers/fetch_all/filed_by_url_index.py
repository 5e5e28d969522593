"""Wrong: files each page at urls.index(url), so a url listed twice leaves a hole."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    """Download every url concurrently and return the pages in the order of `urls`."""
    pages = [""] * len(urls)

    async def one(url: str) -> None:
        pages[urls.index(url)] = await download(url)

    await asyncio.gather(*(one(url) for url in urls))
    return pages
