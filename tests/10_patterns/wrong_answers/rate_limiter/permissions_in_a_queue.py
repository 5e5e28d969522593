"""Wrong: keeps the permissions in an asyncio.Queue, where a newcomer can overtake a waiter."""

import asyncio
from types import TracebackType


class RateLimiter:
    """At most `rate` entries into `async with limiter:` in any `per` seconds."""

    def __init__(self, rate: int, per: float) -> None:
        self._permissions: asyncio.Queue[int] = asyncio.Queue()
        for permission in range(rate):
            self._permissions.put_nowait(permission)
        self._per = per

    async def __aenter__(self) -> None:
        """Wait for a permission, and arrange for it to come back."""
        permission = await self._permissions.get()
        loop = asyncio.get_running_loop()
        loop.call_later(self._per, self._permissions.put_nowait, permission)

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """The request is over; its permission comes back on its own schedule."""
