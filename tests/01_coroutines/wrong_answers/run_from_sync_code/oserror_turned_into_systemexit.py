"""Wrong: turns a job's OSError into SystemExit("error: ..."), so the caller never sees it."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(job)
    except OSError as error:
        raise SystemExit(f"error: {error}") from error
