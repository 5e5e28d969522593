"""Wrong: waits only for the first download to fail, then reads every result, unfinished too."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    """Download every url concurrently and return the pages in the order of `urls`."""
    if not urls:
        return []
    tasks = [asyncio.create_task(download(url)) for url in urls]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    return [task.result() for task in tasks]
