"""Wrong: gives each parse at most 30 s, so a slow line ends the pipeline with TimeoutError."""

import asyncio
from collections.abc import Awaitable, Callable


async def run_pipeline(
    lines: list[str],
    parse: Callable[[str], Awaitable[str]],
    store: Callable[[str], Awaitable[None]],
    parsers: int,
) -> int:
    """Parse and store every line, `parsers` parsers at a time; return how many were stored."""
    raw: asyncio.Queue[str | None] = asyncio.Queue()
    records: asyncio.Queue[str | None] = asyncio.Queue()
    stored = 0

    async def read() -> None:
        for line in lines:
            await raw.put(line)
        # One sentinel per parser: a parser that takes one stops and takes no more.
        for _ in range(parsers):
            await raw.put(None)

    async def parse_lines() -> None:
        while True:
            line = await raw.get()
            # Nothing after the sentinel is meant for this parser.
            if line is None:
                return
            await records.put(await asyncio.wait_for(parse(line), 30))

    async def store_records() -> None:
        nonlocal stored
        while True:
            record = await records.get()
            # The sentinel comes after the last parser's last record.
            if record is None:
                return
            await store(record)
            stored += 1

    async with asyncio.TaskGroup() as group:
        group.create_task(read())
        parsing = [group.create_task(parse_lines()) for _ in range(parsers)]
        group.create_task(store_records())
        # A parser still running may still put records; wait() leaves its errors to the group.
        await asyncio.wait(parsing)
        await records.put(None)
    return stored
