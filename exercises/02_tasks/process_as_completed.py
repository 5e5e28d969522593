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
    # TODO: handle each page when its own download finishes, not when the slowest one does.
    pages = await asyncio.gather(*(download(url) for url in urls))
    for url, page in zip(urls, pages, strict=True):
        handle(url, page)
