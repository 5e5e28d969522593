"""Wrong: gives the permission back at once when its request raises."""

import asyncio
from types import TracebackType


class RateLimiter:
    """At most `rate` entries into `async with limiter:` in any `per` seconds."""

    def __init__(self, rate: int, per: float) -> None:
        self._permissions = asyncio.BoundedSemaphore(rate)
        self._per = per
        self._timers: list[asyncio.TimerHandle] = []

    async def __aenter__(self) -> None:
        """Wait for a permission, and arrange for it to come back."""
        await self._permissions.acquire()
        loop = asyncio.get_running_loop()
        self._timers.append(loop.call_at(loop.time() + self._per, self._permissions.release))

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """A request that failed did not count: its permission comes back now."""
        if isinstance(error, Exception) and self._timers:
            self._timers.pop().cancel()
            self._permissions.release()
