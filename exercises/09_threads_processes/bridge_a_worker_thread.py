"""Let a worker thread talk to the event loop.

`job(ask, report)` is an old import job written for threads. It blocks while it works,
calls `ask(key)` when it needs a setting, and calls `report(message)` to say how far it
has got. `run_job(job, lookup, on_progress)` runs it in a worker thread and returns what
it returns. The two functions it hands the job are called from that worker thread:

- `ask(key)` returns the value of `await lookup(key)`. The lookup belongs on the event
  loop that run_job runs on (it shares that loop's connections), and `ask` waits for it.
  If the lookup raises, `ask` raises that same error in the job's thread.
- `report(message)` has `on_progress(message)` called on the event loop's thread, as soon
  as the loop gets to it, and returns without waiting for that.

Today `ask` starts a second event loop of its own in the worker thread, and `report`
calls `on_progress` straight from the worker thread, where asyncio objects must not be
touched. Hand both over to the loop that run_job runs on.
"""

import asyncio
from collections.abc import Awaitable, Callable

Job = Callable[[Callable[[str], str], Callable[[str], None]], str]


async def run_job(
    job: Job, lookup: Callable[[str], Awaitable[str]], on_progress: Callable[[str], None]
) -> str:
    """Run the blocking `job` in a worker thread that can reach this event loop."""

    async def looked_up(key: str) -> str:
        return await lookup(key)

    def ask(key: str) -> str:
        # TODO: run the lookup on run_job's loop (not a new one) and wait for its value here.
        return asyncio.run(looked_up(key))

    def report(message: str) -> None:
        # TODO: have the loop call on_progress(message) on its own thread.
        on_progress(message)

    return await asyncio.to_thread(job, ask, report)
