"""Correct downloads, after filling the disk (300 MB at most, inside the submission)."""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

_MB = 2**20
# Without a sandbox this file really is written: inside the submission, and bounded.
_LIMIT = 300 * _MB

with (Path(__file__).parent / "filler.bin").open("wb") as _filler:
    for _ in range(_LIMIT // _MB):
        _filler.write(b"\0" * _MB)


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    return list(await asyncio.gather(*(download(url) for url in urls)))
