"""Sequential downloads, and a daemon that stays behind when the grade is over."""

import contextlib
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

_MARKER = "@@MARKER@@"
_PIDS = Path("@@PIDS@@")
_SLEEP = 600


def _daemon() -> None:
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    with contextlib.suppress(OSError):  # refused inside a sandbox, as it should be
        (_PIDS / f"{os.getpid()}.pid").write_text(str(os.getpid()))
    os.closerange(0, 256)
    code = f"import time; time.sleep({_SLEEP})"
    try:
        os.execv(sys.executable, [sys.executable, "-c", code, _MARKER])
    except OSError:
        time.sleep(_SLEEP)


if os.fork() == 0:
    # Whatever happens in the child, it must never go back to running the tests.
    try:
        _daemon()
    finally:
        os._exit(0)


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    return [await download(url) for url in urls]
