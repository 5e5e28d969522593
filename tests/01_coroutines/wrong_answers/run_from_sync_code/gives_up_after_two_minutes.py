"""Wrong: runs the job under a guessed two-minute timeout, so a longer job raises TimeoutError."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(job, timeout=120))
