"""Wrong: waits at the camp after each leg but never breaks it, so a failure strands the team."""

import asyncio
from collections.abc import Awaitable, Callable


async def walk_with_team(legs: list[Callable[[], Awaitable[None]]], camp: asyncio.Barrier) -> None:
    """Walk each leg, then wait at `camp` for the team; break the camp if this member fails."""
    for leg in legs:
        await leg()
        await camp.wait()
