"""Wrong: downloads a url listed twice only once and copies its page to both places."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    slots = asyncio.Semaphore(limit)

    async def one(url: str) -> str:
        async with slots:
            return await download(url)

    distinct = list(dict.fromkeys(urls))
    pages = await asyncio.gather(*(one(url) for url in distinct), return_exceptions=True)
    by_url = dict(zip(distinct, pages, strict=True))
    return [by_url[url] for url in urls]
