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

from collections.abc import Awaitable, Callable

Fetch = Callable[[str], Awaitable[tuple[str, list[str]]]]


async def crawl(
    start: str, fetch: Fetch, *, limit: int, fetch_timeout: float, attempts: int
) -> dict[str, str]:
    """Every page reachable from `start`, fetched concurrently and patiently."""
    # TODO: crawl concurrently (a TaskGroup), with a BoundedSemaphore(limit), a timeout
    # around each fetch, retries, and the failed pages' errors raised together at the end.
    pages: dict[str, str] = {}
    waiting = [start]
    while waiting:
        url = waiting.pop(0)
        if url in pages:
            continue
        pages[url], links = await fetch(url)
        waiting += links
    return pages
