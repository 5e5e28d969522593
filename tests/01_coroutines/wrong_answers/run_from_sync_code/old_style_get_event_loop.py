"""Wrong: reuses the thread's current loop (old tutorials' get_event_loop) instead of a new one."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine `job` to completion on a new event loop and return its result."""
    return asyncio.get_event_loop().run_until_complete(job)
