"""Wrong: downloads each distinct url once, then handles its page once per time it is listed."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""
    first_error: Exception | None = None

    async def labelled(url: str) -> tuple[str, str]:
        return url, await download(url)

    # "No point downloading the same page twice."
    for arrival in asyncio.as_completed([labelled(url) for url in dict.fromkeys(urls)]):
        try:
            url, page = await arrival
        except Exception as error:
            first_error = first_error or error
        else:
            for _ in range(urls.count(url)):
                handle(url, page)
    if first_error is not None:
        raise first_error
