"""Wrong: makes one loop when the module loads and runs every job on it, never closing it."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_LOOP = asyncio.new_event_loop()


def run_job(job: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine `job` to completion on a new event loop and return its result."""
    return _LOOP.run_until_complete(job)
