"""Allow at most `rate` requests in any `per` seconds.

An API you call allows `rate` requests in any stretch of `per` seconds. Each request
goes through `async with limiter:`, which waits until the request may start.
`RateLimiter(rate, per)` holds `rate` permissions. A request takes one as it starts,
and that permission comes back `per` seconds after it was taken, however long the
request runs and however it ends (returned, raised or cancelled). So no more than `rate`
requests ever start within `per` seconds, and a slow request holds up nobody.
Requests that wait start in the order they arrived; one cancelled while it waits
takes nothing. Tell time by the event loop's clock (loop.time(), loop.call_at,
loop.call_later), not by time.monotonic() or time.time(): the loop's clock is the one
asyncio.sleep and every timeout follow, and the tests run it as a virtual clock.

Today the limiter gives a permission back as soon as its request ends: it limits how many
requests run at once, not how many start in `per` seconds.
"""

import asyncio
from types import TracebackType


class RateLimiter:
    """At most `rate` entries into `async with limiter:` in any `per` seconds."""

    def __init__(self, rate: int, per: float) -> None:
        # Bounded: giving back more permissions than there are is a bug, and raises.
        self._permissions = asyncio.BoundedSemaphore(rate)
        self._per = per

    async def __aenter__(self) -> None:
        """Wait for a permission, and arrange for it to come back."""
        await self._permissions.acquire()
        # TODO: give the permission back `per` seconds from now, not when the request ends.

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """The request is over; its permission comes back on its own schedule."""
        # TODO: this is where the permission goes back today; it should not.
        self._permissions.release()
