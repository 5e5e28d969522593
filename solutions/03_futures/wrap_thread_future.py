"""Await a concurrent.futures future.

Hashing a big file is CPU work, so `checksum(data, executor, hash_bytes)` hands
`hash_bytes(data)` to a thread pool, `executor`, and returns the hash it computes.

Today it calls `.result()` on the `concurrent.futures.Future` the pool gives back.
That call blocks the event loop's thread until the worker thread is done, so every
other task freezes meanwhile. Make `checksum` wait without blocking: the work must
still run on `executor`, other tasks must keep running while it does, and if
`hash_bytes` raises, `checksum` must raise the same error.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    # wrap_future gives the pool's future an asyncio twin: awaiting it suspends only this
    # task, and the worker's result or exception is copied over when the thread finishes.
    job = executor.submit(hash_bytes, data)
    return await asyncio.wrap_future(job)
