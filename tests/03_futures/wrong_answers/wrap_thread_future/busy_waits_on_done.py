"""Wrong: spins on job.done() without ever awaiting, so the loop can never finish the job."""

from collections.abc import Callable
from concurrent.futures import Executor


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    job = executor.submit(hash_bytes, data)
    while not job.done():
        pass
    return job.result()
