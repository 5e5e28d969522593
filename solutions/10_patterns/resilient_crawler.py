"""Crawl a site with bounded concurrency, timeouts and retries.

`crawl(start, fetch, limit=..., fetch_timeout=..., attempts=...)` fetches `start` and every
page reachable from it by links, each url once, and returns `{url: page}`.
`fetch(url)` returns the page's text and the urls it links to.

- At most `limit` calls of `fetch` run at once; a page waits for a free slot, and that
  wait does not count against its timeout.
- Each call of `fetch` may take `fetch_timeout` seconds; a call still running then is cancelled
  and counts as a failed attempt (TimeoutError).
- A ConnectionError or TimeoutError is retried at once, up to `attempts` calls in all.
  Any other error is not retried.
- A page that could not be fetched is left out, and the crawl goes on without it. When
  the rest of the crawl is over, `crawl` raises
  `ExceptionGroup("<n> pages failed", errors)`, with the last error of each failed page.

Cancelling `crawl` cancels every fetch still running. Today's crawl fetches one page at
a time, never gives up on a slow page, and stops at the first error.
"""

import asyncio
from collections.abc import Awaitable, Callable

Fetch = Callable[[str], Awaitable[tuple[str, list[str]]]]


async def crawl(
    start: str, fetch: Fetch, *, limit: int, fetch_timeout: float, attempts: int
) -> dict[str, str]:
    """Every page reachable from `start`, fetched concurrently and patiently."""
    slots = asyncio.BoundedSemaphore(limit)
    pages: dict[str, str] = {}
    errors: list[Exception] = []
    seen = {start}

    async def fetch_patiently(url: str) -> tuple[str, list[str]]:
        for attempt in range(1, attempts + 1):
            # The slot first, then the clock: waiting in line is not the server's fault.
            try:
                async with slots, asyncio.timeout(fetch_timeout):
                    return await fetch(url)
            except (ConnectionError, TimeoutError):
                if attempt == attempts:
                    raise
        raise ValueError("attempts must be at least 1")

    async def visit(url: str, group: asyncio.TaskGroup) -> None:
        try:
            pages[url], links = await fetch_patiently(url)
        except Exception as error:  # a failed page must not stop the rest of the crawl
            errors.append(error)
            return
        for link in links:
            if link not in seen:  # marked when its task starts, so no page is fetched twice
                seen.add(link)
                group.create_task(visit(link, group))

    async with asyncio.TaskGroup() as group:
        group.create_task(visit(start, group))
    if errors:
        raise ExceptionGroup(f"{len(errors)} pages failed", errors)
    return pages
