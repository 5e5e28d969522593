"""Shut a pipeline down with sentinels.

`run_pipeline(lines, parse, store, parsers)` runs a pipeline of three stages joined by two
queues. A reader puts each of `lines` on the first queue; `parsers` parser tasks each take
lines from it and put `await parse(line)` on the second queue; one storer takes those
records and calls `await store(record)`. `run_pipeline` returns how many records were
stored once every line has gone through, and every task it started has finished by then.

A consumer waiting on `queue.get()` cannot tell that nothing more is coming, so the stage
before it must say so: after its last item it puts a sentinel, a value that is never a
real item (here `None`), and a consumer that takes the sentinel stops. Each consumer of a
queue needs its own sentinel, and the storer may only get its sentinel once every parser
has stopped. Today nobody sends one, so the pipeline never ends.

If `parse` or `store` raises, `run_pipeline` raises that error (a TaskGroup's
ExceptionGroup holding it counts too) and leaves nothing running; if it is cancelled, it
cancels every stage and ends cancelled.
"""

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
            await records.put(await parse(line))

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
