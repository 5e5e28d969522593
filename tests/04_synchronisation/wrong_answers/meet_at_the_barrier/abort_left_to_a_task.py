"""Wrong: leaves camp.abort() to a task instead of awaiting it.

The error leaves walk_with_team before the camp is broken.
"""

import asyncio
from collections.abc import Awaitable, Callable


async def walk_with_team(legs: list[Callable[[], Awaitable[None]]], camp: asyncio.Barrier) -> None:
    try:
        for leg in legs:
            await leg()
            await camp.wait()
    except BaseException:
        asyncio.get_running_loop().create_task(camp.abort())
        raise
