"""Wrong: keeps the count on the class, so countdowns running together share one count."""

import asyncio


class Countdown:
    """Counts down from `start` to 1, one number every `interval` seconds."""

    def __init__(self, start: int, interval: float) -> None:
        Countdown._next = start
        self._interval = interval

    def __aiter__(self) -> "Countdown":
        """The iterator `async for` uses: the countdown itself."""
        # Returning self (not a fresh countdown) is what makes a second loop carry on.
        return self

    async def __anext__(self) -> int:
        """Wait `interval` seconds and return the next number; raise StopAsyncIteration after 1."""
        # Count down only after the wait: a cancelled wait must not use up a number.
        if self._next < 1:
            raise StopAsyncIteration
        await asyncio.sleep(self._interval)
        number = self._next
        Countdown._next -= 1
        return number
