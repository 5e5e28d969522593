"""Wrong: keeps the tasks in a dict keyed by url, so a url listed twice is handled once."""

import asyncio
from collections.abc import Awaitable, Callable


async def process_as_completed(
    urls: list[str],
    download: Callable[[str], Awaitable[str]],
    handle: Callable[[str, str], None],
) -> None:
    """Download every url at once and handle each page as soon as it arrives."""
    tasks = {url: asyncio.create_task(download(url)) for url in urls}
    first_error: BaseException | None = None
    pending = set(tasks.values())
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for url, task in tasks.items():
            if task not in done:
                continue
            error = task.exception()
            if error is None:
                handle(url, task.result())
            elif first_error is None:
                first_error = error
    if first_error is not None:
        raise first_error
