"""Wrong: fetches the next page before yielding the items of this one."""

from collections.abc import AsyncIterator, Awaitable, Callable


async def all_items(fetch_page: Callable[[int], Awaitable[list[str]]]) -> AsyncIterator[str]:
    """Yield the items of page 1, 2, ... until a page comes back empty."""
    number = 1
    page = await fetch_page(number)
    while page:
        number += 1
        next_page = await fetch_page(number)
        for item in page:
            yield item
        page = next_page
