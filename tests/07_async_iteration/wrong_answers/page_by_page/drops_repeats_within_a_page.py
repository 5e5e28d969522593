"""Wrong: runs each page through dict.fromkeys(), so an item repeated within a page comes once."""

from collections.abc import AsyncIterator, Awaitable, Callable


async def all_items(fetch_page: Callable[[int], Awaitable[list[str]]]) -> AsyncIterator[str]:
    """Yield the items of page 1, 2, ... until a page comes back empty."""
    number = 1
    while page := await fetch_page(number):
        for item in dict.fromkeys(page):
            yield item
        number += 1
