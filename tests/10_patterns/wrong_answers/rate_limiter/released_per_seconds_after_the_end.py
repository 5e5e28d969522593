"""Wrong: schedules the permission back `per` seconds after the request ends, not after it began."""

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

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """The request is over; its permission comes back on its own schedule."""
        loop = asyncio.get_running_loop()
        loop.call_at(loop.time() + self._per, self._permissions.release)
