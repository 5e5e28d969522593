"""Wrong: yields each page as one list instead of its items one by one."""

from collections.abc import AsyncIterator, Awaitable, Callable


async def all_items(fetch_page: Callable[[int], Awaitable[list[str]]]) -> AsyncIterator[list[str]]:
    """Yield the items of page 1, 2, ... until a page comes back empty."""
    number = 1
    while page := await fetch_page(number):
        yield page
        number += 1
