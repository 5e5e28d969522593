"""Handle results as they arrive.

`process_as_completed(urls, download, handle)` downloads every url at the same time and
calls `handle(url, page)` once for each page (a url listed twice is downloaded and handled
twice). Today it waits for the slowest download before it handles any page, so a page that
arrived after one second sits idle until the last one is in. Call `handle(url, page)` for
each page as soon as its download finishes, so that pages are handled in the order they
arrive. The downloads must still overlap.

A failed download must not stop the others: handle every page that does arrive, then,
once every download has finished, raise the error of the download that failed (the
first one to fail, if several did).
"""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""
    # as_completed yields each download as soon as it finishes, so the url has to travel
    # with its page; an error is kept until the end so the other pages are still handled.
    first_error: Exception | None = None

    async def labelled(url: str) -> tuple[str, str]:
        return url, await download(url)

    for arrival in asyncio.as_completed([labelled(url) for url in urls]):
        try:
            url, page = await arrival
        except Exception as error:
            first_error = first_error or error
        else:
            handle(url, page)
    if first_error is not None:
        raise first_error
