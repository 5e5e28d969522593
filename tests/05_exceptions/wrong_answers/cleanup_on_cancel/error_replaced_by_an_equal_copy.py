"""Wrong: re-raises a fresh copy of the job's error (same type and args), not the error itself."""

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
        try:
            await handle(job, connection)
        except Exception as error:
            raise type(error)(*error.args) from None
        finally:
            pool.release(connection)
