"""Wrong: keeps a fixed schedule of deadlines, so a number asked for late comes at once."""

import asyncio


class Countdown:
    """Counts down from `start` to 1, one number every `interval` seconds."""

    def __init__(self, start: int, interval: float) -> None:
        self._next = start
        self._interval = interval
        self._due: float | None = None

    def __aiter__(self) -> "Countdown":
        """The iterator `async for` uses: the countdown itself."""
        return self

    async def __anext__(self) -> int:
        """Sleep until the next deadline on the schedule and return the next number."""
        if self._next < 1:
            raise StopAsyncIteration
        now = asyncio.get_running_loop().time()
        self._due = (now if self._due is None else self._due) + self._interval
        await asyncio.sleep(max(0.0, self._due - now))
        number = self._next
        self._next -= 1
        return number
