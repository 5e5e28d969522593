"""Wrong: raises the failed download that comes first in `urls`, not the first to fail.

gather returns the outcomes in argument order, so with several failures the error picked
is the one whose url is listed first, whenever it failed.
"""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""

    async def one(url: str) -> None:
        handle(url, await download(url))

    outcomes = await asyncio.gather(*(one(url) for url in urls), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
