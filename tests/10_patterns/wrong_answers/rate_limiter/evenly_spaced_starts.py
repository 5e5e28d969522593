"""Wrong: spaces every start per/rate seconds apart instead of allowing bursts of `rate`."""

import asyncio
from types import TracebackType


class RateLimiter:
    """At most `rate` entries into `async with limiter:` in any `per` seconds."""

    def __init__(self, rate: int, per: float) -> None:
        # Bounded: giving back more permissions than there are is a bug, and raises.
        self._permissions = asyncio.BoundedSemaphore(rate)
        self._per = per
        self._rate = rate
        self._next_start = 0.0

    async def __aenter__(self) -> None:
        """Wait for a permission, and arrange for it to come back."""
        loop = asyncio.get_running_loop()
        start = max(loop.time(), self._next_start)
        self._next_start = start + self._per / self._rate
        await asyncio.sleep(start - loop.time())

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """The request is over; its permission comes back on its own schedule."""
        # The timer set in __aenter__ gives the permission back; nothing to do here.
