"""Wrong: catches only ConnectionError, so a download failing otherwise crashes the call."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    slots = asyncio.Semaphore(limit)

    async def one(url: str) -> str | BaseException:
        async with slots:
            try:
                return await download(url)
            except ConnectionError as error:
                return error

    return await asyncio.gather(*(one(url) for url in urls))
