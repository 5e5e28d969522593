"""Wrong: creates a new semaphore inside each download, so every download gets its own slot."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""

    async def one(url: str) -> str:
        async with asyncio.Semaphore(limit):
            return await download(url)

    return await asyncio.gather(*(one(url) for url in urls), return_exceptions=True)
