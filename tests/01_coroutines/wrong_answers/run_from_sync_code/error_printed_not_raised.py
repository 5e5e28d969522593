"""Wrong: runs the job with asyncio.run but prints its error and returns None instead."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T | None:
    """Run the coroutine `job` to completion on a new event loop and return its result."""
    try:
        return asyncio.run(job)
    except Exception as error:
        print(f"the job failed: {error}")
        return None
