"""Wrong: guards the leg but not the wait, so a member cancelled at the camp strands the team."""

import asyncio
from collections.abc import Awaitable, Callable


async def walk_with_team(legs: list[Callable[[], Awaitable[None]]], camp: asyncio.Barrier) -> None:
    """Walk each leg, then wait at `camp` for the team; break the camp if this member fails."""
    for leg in legs:
        try:
            await leg()
        except BaseException:
            await camp.abort()
            raise
        await camp.wait()
