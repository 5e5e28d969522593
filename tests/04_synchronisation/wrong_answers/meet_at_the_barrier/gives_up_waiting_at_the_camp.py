"""Wrong: waits at the camp for a guessed 60 s at most, then gives up and breaks it."""

import asyncio
from collections.abc import Awaitable, Callable


async def walk_with_team(legs: list[Callable[[], Awaitable[None]]], camp: asyncio.Barrier) -> None:
    """Walk each leg, then wait at `camp` for the team; break the camp if this member fails."""
    try:
        for leg in legs:
            await leg()
            # Nobody should be kept waiting for a member who is not coming.
            async with asyncio.timeout(60):
                await camp.wait()
    except BaseException:
        await camp.abort()
        raise
