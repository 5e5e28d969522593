"""Wait until the whole team has arrived.

A team walks a route in legs. Every member runs `walk_with_team(legs, camp)` in a task of
its own, with its own legs, and the whole team shares one `camp`: an `asyncio.Barrier`
made for as many parties as there are members.

A member walks its legs one after another (`await leg()`). After each leg, including the
last, it waits at the camp until the whole team is there; everyone then sets off at the
same moment, the moment the last member arrives.

If one of the member's legs raises, or the member is cancelled (while walking or while
waiting at the camp), it must break the camp with `await camp.abort()` and then let its
error (or the cancellation) out. Otherwise the rest of the team would wait for it forever.
Once the camp is broken, `camp.wait()` raises `asyncio.BrokenBarrierError`: in members
already waiting there and in members who arrive later. They let that error out too, and
walk no further legs.
"""

import asyncio
from collections.abc import Awaitable, Callable


async def walk_with_team(legs: list[Callable[[], Awaitable[None]]], camp: asyncio.Barrier) -> None:
    """Walk each leg, then wait at `camp` for the team; break the camp if this member fails."""
    # TODO: after every leg, wait at the camp; on any error or cancellation, abort it first.
    raise NotImplementedError
