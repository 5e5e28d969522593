"""Wrong: waits for both steps with a guessed "safety" timeout of ten seconds."""

import asyncio
from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    """Boil the water and toast the bread at the same time; return (water, toast)."""
    water = asyncio.create_task(boil_water())
    toast = asyncio.create_task(toast_bread())
    await asyncio.wait([water, toast], timeout=10)
    return water.result(), toast.result()
