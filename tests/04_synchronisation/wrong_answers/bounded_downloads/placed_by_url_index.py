"""Wrong: `limit` workers share the urls and file each page at urls.index(url)."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    results: list[str | BaseException] = [""] * len(urls)
    waiting = list(urls)

    async def worker() -> None:
        while waiting:
            url = waiting.pop(0)
            try:
                results[urls.index(url)] = await download(url)
            except Exception as error:
                results[urls.index(url)] = error

    await asyncio.gather(*(worker() for _ in range(limit)))
    return results
