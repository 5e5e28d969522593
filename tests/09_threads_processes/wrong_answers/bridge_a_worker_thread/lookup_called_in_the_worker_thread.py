"""Wrong: calls lookup(key) in the worker thread and hands the loop only what it returned."""

import asyncio
from collections.abc import Awaitable, Callable

Job = Callable[[Callable[[str], str], Callable[[str], None]], str]


async def run_job(
    job: Job, lookup: Callable[[str], Awaitable[str]], on_progress: Callable[[str], None]
) -> str:
    """Run the blocking `job` in a worker thread that can reach this event loop."""
    loop = asyncio.get_running_loop()

    def ask(key: str) -> str:
        # lookup(key) is already a coroutine: hand it straight over.
        return asyncio.run_coroutine_threadsafe(lookup(key), loop).result()  # type: ignore[arg-type]

    def report(message: str) -> None:
        # call_soon_threadsafe queues the call and wakes the loop; call_soon is not thread-safe.
        loop.call_soon_threadsafe(on_progress, message)

    return await asyncio.to_thread(job, ask, report)
