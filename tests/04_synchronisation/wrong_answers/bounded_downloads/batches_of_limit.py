"""Wrong: downloads in batches of `limit`, so a slot stays idle until the batch's slowest ends."""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    results: list[str | BaseException] = []
    for start in range(0, len(urls), limit):
        batch = urls[start : start + limit]
        results += await asyncio.gather(*(download(url) for url in batch), return_exceptions=True)
    return results
