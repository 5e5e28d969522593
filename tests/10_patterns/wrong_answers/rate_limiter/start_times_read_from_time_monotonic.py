"""Wrong: keeps a log of start times read from time.monotonic(), not the loop's clock."""

import asyncio
import time
from collections import deque
from types import TracebackType


class RateLimiter:
    """At most `rate` entries into `async with limiter:` in any `per` seconds."""

    def __init__(self, rate: int, per: float) -> None:
        self._rate = rate
        self._per = per
        self._starts: deque[float] = deque()
        # One request at a time decides, so the waiting ones get in in arrival order.
        self._turn = asyncio.Lock()

    async def __aenter__(self) -> None:
        """Wait until fewer than `rate` requests started in the last `per` seconds."""
        async with self._turn:
            while True:
                now = time.monotonic()
                while self._starts and self._starts[0] + self._per <= now:
                    self._starts.popleft()
                if len(self._starts) < self._rate:
                    self._starts.append(now)
                    return
                await asyncio.sleep(self._starts[0] + self._per - now)

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """The request is over; its start stays in the log until it is `per` old."""
