"""Wrong: acquires and releases by hand with no try/finally, so a failed download keeps its slot."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    slots = asyncio.Semaphore(limit)

    async def one(url: str) -> str:
        await slots.acquire()
        page = await download(url)
        slots.release()
        return page

    return await asyncio.gather(*(one(url) for url in urls), return_exceptions=True)
