"""Wrong: sleeps until the oldest start is `per` old; all waiters wake together and get in."""

import asyncio
from types import TracebackType


class RateLimiter:
    """At most `rate` entries into `async with limiter:` in any `per` seconds."""

    def __init__(self, rate: int, per: float) -> None:
        # Bounded: giving back more permissions than there are is a bug, and raises.
        self._permissions = asyncio.BoundedSemaphore(rate)
        self._per = per
        self._rate = rate
        self._starts: list[float] = []

    async def __aenter__(self) -> None:
        """Wait for a permission, and arrange for it to come back."""
        loop = asyncio.get_running_loop()
        self._starts = [t for t in self._starts if loop.time() - t < self._per]
        if len(self._starts) >= self._rate:
            await asyncio.sleep(self._starts[0] + self._per - loop.time())
        self._starts.append(loop.time())

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """The request is over; its permission comes back on its own schedule."""
        # The timer set in __aenter__ gives the permission back; nothing to do here.
