"""Wrong: a waiter cancelled just as a permission is handed to it drops that permission."""

import asyncio
from collections import deque
from types import TracebackType


class RateLimiter:
    """At most `rate` entries into `async with limiter:` in any `per` seconds."""

    def __init__(self, rate: int, per: float) -> None:
        self._free = rate
        self._per = per
        self._waiters: deque[asyncio.Future[None]] = deque()

    def _give_back(self) -> None:
        # Hand the permission straight to the longest waiter, so nobody can overtake it.
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1

    async def __aenter__(self) -> None:
        loop = asyncio.get_running_loop()
        if self._free and not self._waiters:
            self._free -= 1
        else:
            waiter = loop.create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if not waiter.done():
                    self._waiters.remove(waiter)
                raise
        loop.call_at(loop.time() + self._per, self._give_back)

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        pass
