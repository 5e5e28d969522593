"""Wrong: returns an empty page for a download that raises TimeoutError instead of raising it."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    async def page(url: str) -> str:
        try:
            return await download(url)
        except TimeoutError:
            return ""

    return list(await asyncio.gather(*(page(url) for url in urls)))
