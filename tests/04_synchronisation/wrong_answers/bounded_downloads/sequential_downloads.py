"""Wrong: plays it safe with one download at a time, ignoring the other slots."""

from collections.abc import Awaitable, Callable


async def download_all(
    urls: list[str], download: Callable[[str], Awaitable[str]], limit: int
) -> list[str | BaseException]:
    """Download every url, at most `limit` at a time; pages (or errors) in the order of `urls`."""
    results: list[str | BaseException] = []
    for url in urls:
        try:
            results.append(await download(url))
        except Exception as error:
            results.append(error)
    return results
