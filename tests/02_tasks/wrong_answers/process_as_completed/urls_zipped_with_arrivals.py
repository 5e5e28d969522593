"""Wrong: pairs the urls, in list order, with pages in arrival order."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""
    arrivals = asyncio.as_completed([download(url) for url in urls])
    for url, arrival in zip(urls, arrivals, strict=True):
        handle(url, await arrival)
