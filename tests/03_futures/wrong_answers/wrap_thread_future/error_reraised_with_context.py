"""Wrong: awaits the job properly, but raises a new OSError with context instead of the worker's."""

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    job = executor.submit(hash_bytes, data)
    try:
        return await asyncio.wrap_future(job)
    except OSError as error:
        raise OSError(f"checksum of {len(data)} bytes failed: {error}") from error
