"""Wrong: adds a one-minute "safety" limit, so a job slower than 60 s raises TimeoutError."""

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    job = executor.submit(hash_bytes, data)
    return await asyncio.wait_for(asyncio.wrap_future(job), timeout=60)
