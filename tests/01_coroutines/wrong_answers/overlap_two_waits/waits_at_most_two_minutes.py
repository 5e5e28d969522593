"""Wrong: waits for both steps under a guessed two-minute timeout: a slower kettle fails."""

import asyncio
from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    water, toast = await asyncio.wait_for(asyncio.gather(boil_water(), toast_bread()), timeout=120)
    return water, toast
