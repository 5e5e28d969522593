"""Wrong: as_completed, but each new error overwrites the last, so the LAST failure is raised."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""
    error: Exception | None = None

    async def labelled(url: str) -> tuple[str, str]:
        return url, await download(url)

    for arrival in asyncio.as_completed([labelled(url) for url in urls]):
        try:
            url, page = await arrival
        except Exception as failed:
            error = failed
        else:
            handle(url, page)
    if error is not None:
        raise error
