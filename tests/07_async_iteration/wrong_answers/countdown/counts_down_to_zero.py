"""Wrong: yields 0 as well before it stops."""

import asyncio


class Countdown:
    """Counts down from `start` to 1, one number every `interval` seconds."""

    def __init__(self, start: int, interval: float) -> None:
        self._next = start
        self._interval = interval

    def __aiter__(self) -> "Countdown":
        """The iterator `async for` uses: the countdown itself."""
        # Returning self (not a fresh countdown) is what makes a second loop carry on.
        return self

    async def __anext__(self) -> int:
        """Wait `interval` seconds and return the next number; raise StopAsyncIteration after 1."""
        # Count down only after the wait: a cancelled wait must not use up a number.
        if self._next < 0:
            raise StopAsyncIteration
        await asyncio.sleep(self._interval)
        number = self._next
        self._next -= 1
        return number
