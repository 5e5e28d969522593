"""Wrong: waits at most a guessed five seconds and returns only the pages that arrived by then."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    """Download every url concurrently and return the pages in the order of `urls`."""
    if not urls:
        return []
    tasks = [asyncio.ensure_future(download(url)) for url in urls]
    done, _ = await asyncio.wait(tasks, timeout=5)  # "no download takes longer than that"
    return [task.result() for task in tasks if task in done]
