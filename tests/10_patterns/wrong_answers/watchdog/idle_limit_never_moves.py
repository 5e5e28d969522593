"""Wrong: waits for the job with a fixed idle limit that progress() never extends."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def supervise(
    job: Callable[[Callable[[], None]], Awaitable[T]], idle: float, deadline: float
) -> T:
    """The job's result, unless it goes quiet for `idle` seconds or runs past `deadline`."""
    async with asyncio.timeout_at(deadline):
        return await asyncio.wait_for(job(lambda: None), idle)
