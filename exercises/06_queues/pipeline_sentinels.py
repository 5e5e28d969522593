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
        # TODO: tell every parser that no more lines are coming.

    async def parse_lines() -> None:
        while True:
            line = await raw.get()
            # TODO: stop at the sentinel.
            await records.put(await parse(line))

    async def store_records() -> None:
        nonlocal stored
        while True:
            record = await records.get()
            # TODO: stop at the sentinel.
            await store(record)
            stored += 1

    async with asyncio.TaskGroup() as group:
        group.create_task(read())
        parsing = [group.create_task(parse_lines()) for _ in range(parsers)]
        group.create_task(store_records())
        # TODO: once every parser has stopped, tell the storer that no more records are coming.
    return stored
