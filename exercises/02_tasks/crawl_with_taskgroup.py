"""Crawl pages inside a TaskGroup.

`crawl(start, fetch_links, depth)` fetches the page `start` and the pages it links to,
and returns the set of urls it fetched. `await fetch_links(url)` fetches one page and
returns the urls it links to. `start` is at level 0. When a page at a level below `depth`
arrives, each url it links to that the crawl has not claimed yet is claimed, at one level
more than that page, and fetched; the links on a page at level `depth` are not followed.
So every url is fetched at most once, even when several pages link to it, and it keeps
the level it was claimed at, even if a shorter way to it turns up later.

Today the crawler works one level at a time with asyncio.gather: one slow page holds up
the whole next level, and when a fetch fails, the other fetches go on running. Rewrite it
with an asyncio.TaskGroup so that:

- the links on a page are fetched as soon as that page has arrived, without waiting for
  the other pages of its level (a task in a TaskGroup can start new tasks in the group);
- when a fetch fails, the fetches still running are cancelled and `crawl` raises the
  ExceptionGroup that the TaskGroup raises, which holds the fetch's error.
"""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def crawl(
    start: str, fetch_links: Callable[[str], Coroutine[Any, Any, list[str]]], depth: int
) -> set[str]:
    """Fetch `start` and the pages it leads to, down to level `depth`; return their urls."""
    # TODO: give every page its own task in one TaskGroup, started as soon as it is found.
    fetched: set[str] = set()
    level = {start}
    for _ in range(depth + 1):
        fetched |= level
        pages = await asyncio.gather(*(fetch_links(url) for url in level))
        level = {link for links in pages for link in links} - fetched
    return fetched
