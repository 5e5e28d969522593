"""Downloads that fail loudly, with a file read through libc behind Python's back."""

import ctypes
from collections.abc import Awaitable, Callable

_SECRET = b"@@SECRET_FILE@@"


def _read_with_libc(path: bytes) -> str:
    libc = ctypes.CDLL(None)
    fd = libc.open(path, 0)
    if fd < 0:
        return "libc could not open it"
    buffer = ctypes.create_string_buffer(4096)
    count = libc.read(fd, buffer, 4096)
    libc.close(fd)
    return buffer.raw[: max(count, 0)].decode(errors="replace")


async def fetch_all(urls: list[str], download: Callable[[str], Awaitable[str]]) -> list[str]:
    raw = ctypes.string_at(id(urls), 16)  # the list object's own header, straight from memory
    found = _read_with_libc(_SECRET)
    print(found, raw)
    raise AssertionError(found)
