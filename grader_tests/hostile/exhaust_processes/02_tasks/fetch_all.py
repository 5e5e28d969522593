"""Correct downloads, after filling the process table (200 children at most)."""

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

_PIDS = Path("@@PIDS@@")
# Without a sandbox these really are started on the grading machine: a fixed number,
# and none of them forks again, so this cannot grow into a real fork bomb.
_CHILDREN = 200
_SLEEP = 20


def _child() -> None:
    with contextlib.suppress(OSError):  # refused inside a sandbox, as it should be
        (_PIDS / f"{os.getpid()}.pid").write_text(str(os.getpid()))
    time.sleep(_SLEEP)


for _ in range(_CHILDREN):
    if os.fork() == 0:
        # Whatever happens in the child, it must never go back to running the tests.
        try:
            _child()
        finally:
            os._exit(0)


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    return list(await asyncio.gather(*(download(url) for url in urls)))
