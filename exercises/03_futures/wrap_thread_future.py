"""Await a concurrent.futures future.

Hashing a big file is CPU work, so `checksum(data, executor, hash_bytes)` hands
`hash_bytes(data)` to a thread pool, `executor`, and returns the hash it computes.

Today it calls `.result()` on the `concurrent.futures.Future` the pool gives back.
That call blocks the event loop's thread until the worker thread is done, so every
other task freezes meanwhile. Make `checksum` wait without blocking: the work must
still run on `executor`, other tasks must keep running while it does, and if
`hash_bytes` raises, `checksum` must raise the same error.
"""

from collections.abc import Callable
from concurrent.futures import Executor


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    # TODO: wait for the worker's future in a way that lets the event loop keep running.
    job = executor.submit(hash_bytes, data)
    return job.result()
