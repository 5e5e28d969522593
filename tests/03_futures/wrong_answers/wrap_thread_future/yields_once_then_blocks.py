"""Wrong: yields to the loop once, then still blocks it on job.result()."""

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    job = executor.submit(hash_bytes, data)
    await asyncio.sleep(0)
    return job.result()
