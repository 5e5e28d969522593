"""Wrong: runs the work on asyncio's default threads instead of the executor it was given."""

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    return await asyncio.to_thread(hash_bytes, data)
