"""Write an async iterator class.

`Countdown(start, interval)` is an async iterator: `async for n in Countdown(3, 0.25)`
waits 0.25 s and gets 3, waits another 0.25 s and gets 2, then 1, and then the loop ends.
`Countdown(0, interval)` ends at once, without waiting.

A `Countdown` is its own iterator and counts down only once: looping over it a second time
goes on from where the first loop stopped, and once it has reached 1 it yields nothing
more. The builtins work on it too: `await anext(countdown)` returns the next number, and
raises `StopAsyncIteration` once it is over.

A number is used up only once it has been handed out: if the task waiting for the next
number is cancelled during the wait, the next call waits again and gets that same number.
"""

import asyncio


class Countdown:
    """Counts down from `start` to 1, one number every `interval` seconds."""

    def __init__(self, start: int, interval: float) -> None:
        self._next = start
        self._interval = interval

    def __aiter__(self) -> "Countdown":
        """The iterator `async for` uses: the countdown itself."""
        # TODO: return the object whose __anext__ `async for` should call.
        raise NotImplementedError

    async def __anext__(self) -> int:
        """Wait `interval` seconds and return the next number; raise StopAsyncIteration after 1."""
        # TODO: end the iteration after 1; otherwise wait, then hand out the next number.
        raise NotImplementedError
