"""Wrong: gives each download a guessed five minutes, so a slower page becomes a TimeoutError."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    slots = asyncio.Semaphore(limit)

    async def one(url: str) -> str:
        async with slots:
            # A download that hangs must not keep its slot forever.
            return await asyncio.wait_for(download(url), 300)

    return await asyncio.gather(*(one(url) for url in urls), return_exceptions=True)
