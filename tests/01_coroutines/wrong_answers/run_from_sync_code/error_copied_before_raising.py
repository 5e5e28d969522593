"""Wrong: raises a fresh copy of the job's error (same type and message), not that error."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine `job` to completion on a new event loop and return its result."""
    try:
        return asyncio.run(job)
    except Exception as error:
        # "A clean error, without asyncio's frames in its traceback."
        raise type(error)(*error.args) from None
