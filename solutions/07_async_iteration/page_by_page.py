"""Stream a listing page by page with an async generator.

`await fetch_page(number)` returns page `number` of a listing (pages count from 1) as a
list of items; a page past the end comes back empty. `all_items(fetch_page)` is an async
generator that yields every item of the listing, in order, and stops at the first empty
page without fetching any page after it.

It must be lazy: it fetches a page only when the consumer asks for an item it does not
have yet. A consumer gets the first item as soon as page 1 arrives, and a consumer that
stops after page 1 costs one fetch, not one per page. Today `all_items` fetches every page
before it yields anything.
"""

from collections.abc import AsyncIterator, Awaitable, Callable


async def all_items(fetch_page: Callable[[int], Awaitable[list[str]]]) -> AsyncIterator[str]:
    """Yield the items of page 1, 2, ... until a page comes back empty."""
    # The generator pauses at each yield, so the next page is fetched only when asked for.
    number = 1
    while page := await fetch_page(number):
        for item in page:
            yield item
        number += 1
