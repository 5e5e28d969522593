"""Wrong: polls job.done() with `await asyncio.sleep(0)`, which never lets time pass.

The loop always has this task ready to run, so its clock (and the job) never moves on.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    job = executor.submit(hash_bytes, data)
    while not job.done():  # noqa: ASYNC110 (the mistake on show)
        await asyncio.sleep(0)
    return job.result()
