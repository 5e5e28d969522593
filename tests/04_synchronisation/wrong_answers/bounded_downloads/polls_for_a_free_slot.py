"""Wrong: counts running downloads and checks twice a second for a free slot."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    running = 0

    async def one(url: str) -> str:
        nonlocal running
        while running >= limit:  # noqa: ASYNC110 (the mistake on show)
            await asyncio.sleep(0.5)
        running += 1
        try:
            return await download(url)
        finally:
            running -= 1

    return await asyncio.gather(*(one(url) for url in urls), return_exceptions=True)
