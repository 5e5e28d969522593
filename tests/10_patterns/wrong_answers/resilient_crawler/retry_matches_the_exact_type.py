"""Wrong: retries only errors whose type is exactly ConnectionError or TimeoutError, no subclass."""

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
            except Exception as error:
                # Only these two exactly: their base class OSError covers far too much.
                if type(error) not in (ConnectionError, TimeoutError) or attempt == attempts:
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
