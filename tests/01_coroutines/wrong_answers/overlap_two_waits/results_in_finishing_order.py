"""Wrong: overlaps the steps but returns their results in the order they finish."""

import asyncio
from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    """Boil the water and toast the bread at the same time; return (water, toast)."""
    first, second = [await step for step in asyncio.as_completed([boil_water(), toast_bread()])]
    return first, second
