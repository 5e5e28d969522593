"""Wrong: starts both steps, then looks every tenth of a second whether they are done."""

import asyncio
from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    """Boil the water and toast the bread at the same time; return (water, toast)."""
    water = asyncio.ensure_future(boil_water())
    toast = asyncio.ensure_future(toast_bread())
    while not (water.done() and toast.done()):  # noqa: ASYNC110 (the mistake on show)
        await asyncio.sleep(0.1)
    return water.result(), toast.result()
