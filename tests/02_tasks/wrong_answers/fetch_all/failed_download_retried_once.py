"""Wrong: retries a failed download once, so a download that fails once and then works hides it."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    async def with_retry(url: str) -> str:
        try:
            return await download(url)
        except Exception:
            return await download(url)

    return list(await asyncio.gather(*(with_retry(url) for url in urls)))
