"""Wrong: waits for all the downloads under a guessed two-minute timeout."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    async with asyncio.timeout(120):
        return list(await asyncio.gather(*(download(url) for url in urls)))
