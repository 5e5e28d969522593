"""Wrong: takes a KeyboardInterrupt from the job as a clean exit and returns None instead."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(job)
    except KeyboardInterrupt:
        print("interrupted")
        return None  # type: ignore[return-value]
