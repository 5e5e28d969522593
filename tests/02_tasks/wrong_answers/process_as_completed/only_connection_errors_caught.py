"""Wrong: as_completed, but catches only ConnectionError, so any other failure stops everything."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""
    first_error: ConnectionError | None = None

    async def labelled(url: str) -> tuple[str, str]:
        return url, await download(url)

    for arrival in asyncio.as_completed([labelled(url) for url in urls]):
        try:
            url, page = await arrival
        except ConnectionError as error:  # "a download fails when the network does"
            first_error = first_error or error
        else:
            handle(url, page)
    if first_error is not None:
        raise first_error
