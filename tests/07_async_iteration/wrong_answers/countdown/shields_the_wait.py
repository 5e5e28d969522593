"""Wrong: shields the wait, so a cancelled wait goes on in the background and uses up the number."""

import asyncio


class Countdown:
    """Counts down from `start` to 1, one number every `interval` seconds."""

    def __init__(self, start: int, interval: float) -> None:
        self._next = start
        self._interval = interval

    def __aiter__(self) -> "Countdown":
        """The iterator `async for` uses: the countdown itself."""
        return self

    async def __anext__(self) -> int:
        """Wait `interval` seconds, protected from cancellation, and return the next number."""
        if self._next < 1:
            raise StopAsyncIteration
        number = self._next
        await asyncio.shield(self._tick())
        return number

    async def _tick(self) -> None:
        await asyncio.sleep(self._interval)
        self._next -= 1
