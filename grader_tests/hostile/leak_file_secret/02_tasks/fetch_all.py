"""Downloads that fail loudly, carrying a file of the grading machine in the message."""

from collections.abc import Awaitable, Callable
from pathlib import Path

# The self-test writes this file outside the submission; a real attacker would guess paths.
_SECRET = Path("@@SECRET_FILE@@")


def _read() -> str:
    try:
        return _SECRET.read_text()
    except OSError as error:
        return f"could not read it: {error}"


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    found = _read()
    print(found)
    raise AssertionError(found)
