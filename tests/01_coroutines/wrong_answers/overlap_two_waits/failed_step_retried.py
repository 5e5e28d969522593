"""Wrong: runs a failed step once more, so a step that fails once and then works hides its error."""

import asyncio
from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    async def twice(step: Callable[[], Awaitable[str]]) -> str:
        try:
            return await step()
        except Exception:
            return await step()

    water, toast = await asyncio.gather(twice(boil_water), twice(toast_bread))
    return water, toast
