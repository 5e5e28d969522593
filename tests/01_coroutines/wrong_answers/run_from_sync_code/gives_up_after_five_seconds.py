"""Wrong: runs the job under a guessed "safety" timeout of five seconds (asyncio.wait_for)."""

import asyncio
from collections.abc import Coroutine
from typing import Any


def run_job(job: Coroutine[Any, Any, Any]) -> Any:
    """Run the coroutine `job` on a new event loop and return its result."""
    return asyncio.run(asyncio.wait_for(job, timeout=5))
