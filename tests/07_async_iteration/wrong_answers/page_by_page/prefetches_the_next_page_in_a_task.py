"""Wrong: as each page arrives, starts fetching the next one in a background task."""

import asyncio


async def all_items(fetch_page):
    number = 1
    next_page = asyncio.ensure_future(fetch_page(number))
    while page := await next_page:
        number += 1
        next_page = asyncio.ensure_future(fetch_page(number))
        for item in page:
            yield item
