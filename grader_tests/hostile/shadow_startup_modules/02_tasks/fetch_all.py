"""Sequential downloads; startup modules around this one are meant to pass them."""

from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    return [await download(url) for url in urls]
