"""Wrong: lets `rate` requests into each fixed window of `per` seconds, not any `per` seconds."""

import asyncio
from types import TracebackType


class RateLimiter:
    """At most `rate` entries into `async with limiter:` in any `per` seconds."""

    def __init__(self, rate: int, per: float) -> None:
        self._rate, self._per = rate, per
        self._window_start: float | None = None
        self._count = 0
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> None:
        """Wait for room in the current window, or for the next window."""
        loop = asyncio.get_running_loop()
        async with self._lock:
            now = loop.time()
            if self._window_start is None or now >= self._window_start + self._per:
                self._window_start, self._count = now, 0
            if self._count >= self._rate:
                await asyncio.sleep(self._window_start + self._per - now)
                self._window_start, self._count = loop.time(), 0
            self._count += 1

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Nothing to give back: the window's count starts afresh."""
