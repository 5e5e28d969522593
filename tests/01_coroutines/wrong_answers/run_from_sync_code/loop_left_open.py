"""Wrong: makes a new loop and runs the job on it, but never closes the loop."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine `job` to completion on a new event loop and return its result."""
    loop = asyncio.new_event_loop()
    return loop.run_until_complete(job)
