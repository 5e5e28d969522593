"""Wrong: re-raises only OSErrors from the worker; any other error becomes an empty checksum ""."""

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    job = executor.submit(hash_bytes, data)
    try:
        return await asyncio.wrap_future(job)
    except OSError:
        raise
    except Exception:
        return ""
