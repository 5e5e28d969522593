"""Wrong: gathers with return_exceptions=True, then raises only OSErrors, returning the rest."""

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    """Download every url concurrently and return the pages in the order of `urls`."""
    pages = await asyncio.gather(*(download(url) for url in urls), return_exceptions=True)
    for page in pages:
        if isinstance(page, OSError):  # "network trouble is the only way a download fails"
            raise page
    return list(pages)  # type: ignore[arg-type]
