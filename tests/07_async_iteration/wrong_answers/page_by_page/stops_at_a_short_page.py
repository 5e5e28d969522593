"""Wrong: takes a page shorter than the first for the last one."""

from collections.abc import AsyncIterator, Awaitable, Callable


async def all_items(fetch_page: Callable[[int], Awaitable[list[str]]]) -> AsyncIterator[str]:
    """Yield the items of page 1, 2, ... until a page comes back empty."""
    number = 1
    full = 0
    while page := await fetch_page(number):
        for item in page:
            yield item
        full = full or len(page)
        if len(page) < full:
            return
        number += 1
