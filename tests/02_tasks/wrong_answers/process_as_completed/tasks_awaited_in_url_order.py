"""Wrong: starts every download but awaits them in url order, so fast pages wait."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""
    downloads = [asyncio.create_task(download(url)) for url in urls]
    for url, task in zip(urls, downloads, strict=True):
        handle(url, await task)
