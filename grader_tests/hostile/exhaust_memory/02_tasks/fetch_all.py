"""Correct downloads, after reserving 16 GB of memory and touching some of it.

Backing every page of that much memory would outlast the 5 s limit of a test on a slow
machine, so the attack reserves it (which a memory rlimit refuses at once) and touches
only the first 64 MB. Without a sandbox the reservation costs the machine nothing.
"""

import asyncio
import mmap
from collections.abc import Awaitable, Callable

_GB, _MB = 2**30, 2**20
_RESERVED = 16 * _GB
_TOUCHED = 64 * _MB
_PAGE = mmap.PAGESIZE


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    if len(urls) == 10:
        held = mmap.mmap(-1, _RESERVED)
        held[:_TOUCHED:_PAGE] = b"x" * (_TOUCHED // _PAGE)
        held.close()
    return list(await asyncio.gather(*(download(url) for url in urls)))
