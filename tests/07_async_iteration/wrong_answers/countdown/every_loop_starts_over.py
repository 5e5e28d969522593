"""Wrong: __aiter__ returns a new countdown from the start, so each loop counts down again."""

import asyncio


class Countdown:
    """Counts down from `start` to 1, one number every `interval` seconds."""

    def __init__(self, start: int, interval: float) -> None:
        self._start = start
        self._next = start
        self._interval = interval

    def __aiter__(self) -> "Countdown":
        """The iterator `async for` uses: the countdown itself."""
        return Countdown(self._start, self._interval)

    async def __anext__(self) -> int:
        """Wait `interval` seconds and return the next number; raise StopAsyncIteration after 1."""
        # Count down only after the wait: a cancelled wait must not use up a number.
        if self._next < 1:
            raise StopAsyncIteration
        await asyncio.sleep(self._interval)
        number = self._next
        self._next -= 1
        return number
