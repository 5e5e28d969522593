"""Wrong: report waits in the worker thread until on_progress has run on the loop."""

import asyncio
from collections.abc import Awaitable, Callable

Job = Callable[[Callable[[str], str], Callable[[str], None]], str]


async def run_job(
    job: Job, lookup: Callable[[str], Awaitable[str]], on_progress: Callable[[str], None]
) -> str:
    """Run the blocking `job` in a worker thread that can reach this event loop."""
    loop = asyncio.get_running_loop()

    async def looked_up(key: str) -> str:
        return await lookup(key)

    async def progressed(message: str) -> None:
        on_progress(message)

    def ask(key: str) -> str:
        return asyncio.run_coroutine_threadsafe(looked_up(key), loop).result()

    def report(message: str) -> None:
        asyncio.run_coroutine_threadsafe(progressed(message), loop).result()

    return await asyncio.to_thread(job, ask, report)
