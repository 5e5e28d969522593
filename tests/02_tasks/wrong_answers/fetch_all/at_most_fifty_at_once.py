"""Wrong: lets at most fifty downloads run at once, a limit the task never asked for."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    """Download every url concurrently and return the pages in the order of `urls`."""
    slots = asyncio.Semaphore(50)

    async def one(url: str) -> str:
        async with slots:
            return await download(url)

    return list(await asyncio.gather(*(one(url) for url in urls)))
