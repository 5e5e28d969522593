"""Wrong: counts pages from 0, so it asks for a page before the first and stops there."""

from collections.abc import AsyncIterator, Awaitable, Callable


async def all_items(fetch_page: Callable[[int], Awaitable[list[str]]]) -> AsyncIterator[str]:
    """Yield the items of page 1, 2, ... until a page comes back empty."""
    number = 0
    while page := await fetch_page(number):
        for item in page:
            yield item
        number += 1
