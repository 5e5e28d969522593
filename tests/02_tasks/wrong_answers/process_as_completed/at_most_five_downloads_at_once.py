"""Wrong: lets only five downloads run at once "to be polite", so more urls do not all overlap."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    limit = asyncio.Semaphore(5)
    first_error: Exception | None = None

    async def labelled(url: str) -> tuple[str, str]:
        async with limit:
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
