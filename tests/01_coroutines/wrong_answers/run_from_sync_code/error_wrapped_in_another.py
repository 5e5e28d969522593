"""Wrong: wraps the job's error in a RuntimeError instead of raising that same error."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine `job` to completion on a new event loop and return its result."""
    try:
        return asyncio.run(job)
    except Exception as error:
        raise RuntimeError(f"job failed: {error}") from error
