"""Wrong: returns gather's list, not the (water, toast) tuple the docstring promises."""

import asyncio
from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    """Boil the water and toast the bread at the same time; return (water, toast)."""
    return await asyncio.gather(boil_water(), toast_bread())  # type: ignore[return-value]
