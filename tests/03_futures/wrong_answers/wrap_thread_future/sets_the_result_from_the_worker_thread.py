"""Wrong: the pool's done callback completes an asyncio future on the worker thread."""

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor, Future


async def checksum(data: bytes, executor: Executor, hash_bytes: Callable[[bytes], str]) -> str:
    """Run `hash_bytes(data)` on `executor` and return its result, without blocking the loop."""
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def copy(job: Future[str]) -> None:
        # Runs on the worker thread: set_result there neither is thread-safe nor wakes the loop.
        error = job.exception()
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(job.result())

    executor.submit(hash_bytes, data).add_done_callback(copy)
    return await answer
