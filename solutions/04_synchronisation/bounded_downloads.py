"""Allow at most N downloads at once.

`download_all(urls, download, limit)` downloads every url (one listed twice, twice) and
returns a list in the order of `urls`. The server allows no more than `limit` downloads at
the same time, so never have more than `limit` calls to `download` running at once; but
whenever fewer are running and urls are left, start another one straight away (don't wait
for a whole batch to finish). Which waiting url goes first is up to you.

A download that fails must not stop the others: its place in the list holds the exception
it raised, and the slot it used is free again for the next url.
"""

import asyncio
from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    # Every task waits for one of `limit` shared slots; `async with` gives it back even on error.
    slots = asyncio.Semaphore(limit)

    async def one(url: str) -> str:
        async with slots:
            return await download(url)

    return await asyncio.gather(*(one(url) for url in urls), return_exceptions=True)
