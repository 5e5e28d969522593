"""Wrong: report() passes each message on only the first time, dropping repeats."""

import asyncio
from collections.abc import Awaitable, Callable

Job = Callable[[Callable[[str], str], Callable[[str], None]], str]


async def run_job(
    job: Job, lookup: Callable[[str], Awaitable[str]], on_progress: Callable[[str], None]
) -> str:
    """Run the blocking `job` in a worker thread that can reach this event loop."""
    loop = asyncio.get_running_loop()
    reported: set[str] = set()

    async def looked_up(key: str) -> str:
        return await lookup(key)

    def ask(key: str) -> str:
        return asyncio.run_coroutine_threadsafe(looked_up(key), loop).result()

    def report(message: str) -> None:
        if message not in reported:
            reported.add(message)
            loop.call_soon_threadsafe(on_progress, message)

    return await asyncio.to_thread(job, ask, report)
