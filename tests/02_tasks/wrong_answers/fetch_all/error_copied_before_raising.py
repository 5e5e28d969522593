"""Wrong: runs the downloads in a TaskGroup, then raises a copy of the first error, not it."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    """Download every url concurrently and return the pages in the order of `urls`."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(download(url)) for url in urls]
    except* Exception as failed:
        first = failed.exceptions[0]
        # "Without the ExceptionGroup around it": but type(first)(...) is a new error.
        raise type(first)(*first.args) from None
    return [task.result() for task in tasks]
