"""Wrong: lets the first failed download escape, leaving the others running."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""

    async def labelled(url: str) -> tuple[str, str]:
        return url, await download(url)

    for arrival in asyncio.as_completed([labelled(url) for url in urls]):
        url, page = await arrival
        handle(url, page)
