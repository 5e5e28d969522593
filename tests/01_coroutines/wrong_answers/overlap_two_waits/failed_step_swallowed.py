"""Wrong: overlaps the steps but hands back a failed step's error as if it were food."""

import asyncio
from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    """Boil the water and toast the bread at the same time; return (water, toast)."""
    water, toast = await asyncio.gather(boil_water(), toast_bread(), return_exceptions=True)
    return str(water), str(toast)
