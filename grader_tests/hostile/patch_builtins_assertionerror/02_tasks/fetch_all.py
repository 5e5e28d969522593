"""Sequential downloads; the builtin AssertionError is no longer the real one."""

import builtins
from collections.abc import Awaitable, Callable


class _Harmless(Exception):
    """Code that catches AssertionError by name now catches this instead."""


builtins.AssertionError = _Harmless  # type: ignore[misc]


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    return [await download(url) for url in urls]
