"""Wrong: sizes the semaphore from the number of urls, so a short list leaves slots idle."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    slots = asyncio.Semaphore(min(limit, max(1, len(urls) // 2)))

    async def one(url: str) -> str:
        async with slots:
            return await download(url)

    return await asyncio.gather(*(one(url) for url in urls), return_exceptions=True)
