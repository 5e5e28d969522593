"""Wrong: runs the loop for one pass, closes it, then asks the unfinished task for its result."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine `job` to completion on a new event loop and return its result."""
    loop = asyncio.new_event_loop()
    task = loop.create_task(job)
    loop.run_until_complete(asyncio.sleep(0))  # "one turn is enough to get it going"
    loop.close()
    return task.result()
