"""Wrong: passes as_completed a guessed two-minute timeout: a slower download raises."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    first_error: Exception | None = None

    async def labelled(url: str) -> tuple[str, str]:
        return url, await download(url)

    for arrival in asyncio.as_completed([labelled(url) for url in urls], timeout=120):
        try:
            url, page = await arrival
        except Exception as error:
            first_error = first_error or error
        else:
            handle(url, page)
    if first_error is not None:
        raise first_error
