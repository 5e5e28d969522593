"""Wrong: reads the results out of asyncio.wait's `done`, a set, which has no order.

The two results come back in the order the set happens to list the tasks (by their
hashes, that is their memory addresses), so the water is first in some runs only.
"""

import asyncio
from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    """Boil the water and toast the bread at the same time; return (water, toast)."""

    async def run(step: Callable[[], Awaitable[str]]) -> str:
        return await step()

    kettle = asyncio.create_task(run(boil_water))
    toaster = asyncio.create_task(run(toast_bread))
    done, _ = await asyncio.wait([kettle, toaster])
    water, toast = (task.result() for task in done)
    return water, toast
