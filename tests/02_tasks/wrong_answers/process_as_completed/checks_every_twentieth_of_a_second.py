"""Wrong: starts every download, then looks every 0.05 s which ones are done and handles those."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""
    waiting = [(url, asyncio.ensure_future(download(url))) for url in urls]
    first_error: BaseException | None = None
    while waiting:
        for url, task in [entry for entry in waiting if entry[1].done()]:
            waiting.remove((url, task))
            if task.exception() is not None:
                first_error = first_error or task.exception()
            else:
                handle(url, task.result())
        if waiting:
            await asyncio.sleep(0.05)
    if first_error is not None:
        raise first_error
