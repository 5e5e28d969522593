"""Wrong: wraps each step in a task but awaits it before starting the next, so nothing overlaps."""

import asyncio
from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    """Boil the water and toast the bread at the same time; return (water, toast)."""
    water = await asyncio.ensure_future(boil_water())
    toast = await asyncio.ensure_future(toast_bread())
    return water, toast
