"""Wrong: catches Exception, which misses CancelledError, so a cancelled member strands the team."""

import asyncio
from collections.abc import Awaitable, Callable


async def walk_with_team(legs: list[Callable[[], Awaitable[None]]], camp: asyncio.Barrier) -> None:
    """Walk each leg, then wait at `camp` for the team; break the camp if this member fails."""
    try:
        for leg in legs:
            await leg()
            await camp.wait()
    except Exception:
        await camp.abort()
        raise
