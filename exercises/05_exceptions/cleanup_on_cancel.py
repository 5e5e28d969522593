"""Clean up when cancelled, and stay cancelled.

`worker(jobs, pool, handle)` runs until it is cancelled. Over and over, it takes the next job
from the `jobs` queue, borrows a connection with `await pool.acquire()`, runs
`await handle(job, connection)` and gives the connection back with `pool.release(connection)`.
If `handle` raises, the connection goes back too, and the error ends the worker.

Whoever started the worker stops it with `task.cancel()`, often in the middle of a job. The
worker must then give back the connection it holds straight away, and stop: it must end
cancelled, which means asyncio.CancelledError has to leave `worker`. Today it swallows the
CancelledError and goes back for the next job, so it never stops, and whoever cancelled it
(a TaskGroup, asyncio.timeout, your shutdown code) waits for it forever.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol


class Pool(Protocol):
    """A pool of connections: borrow one with `acquire`, give it back with `release`."""

    async def acquire(self) -> str:
        """Wait for a free connection and borrow it."""
        ...

    def release(self, connection: str) -> None:
        """Give a borrowed connection back to the pool."""
        ...


async def worker(
    jobs: asyncio.Queue[str], pool: Pool, handle: Callable[[str, str], Awaitable[None]]
) -> None:
    """Handle jobs from the queue one at a time, each on a borrowed connection, until cancelled."""
    while True:
        job = await jobs.get()
        connection = await pool.acquire()
        # TODO: keep giving the connection back, but let the cancellation leave the worker.
        try:
            await handle(job, connection)
        except asyncio.CancelledError:
            pass  # the job was cancelled: move on to the next one
        finally:
            pool.release(connection)
