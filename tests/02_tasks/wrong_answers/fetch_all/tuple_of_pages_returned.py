"""Wrong: returns the pages in the right order, but as a tuple instead of a list."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    """Download every url concurrently and return the pages in the order of `urls`."""
    return tuple(await asyncio.gather(*(download(url) for url in urls)))  # type: ignore[return-value]
