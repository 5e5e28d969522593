"""Pair up two sensors' readings, and close both streams when done.

`open_left()` and `open_right()` each return an async generator of readings from one
sensor. While a generator runs it holds its sensor, and its `finally` block gives the
sensor back (which takes a moment: it awaits). `first_pairs(open_left, open_right, n)`
returns the first `n` pairs `(left reading, right reading)`, taking one reading from each
stream per pair, left first; fewer pairs if a stream ends sooner.

Both sensors must be back by the time `first_pairs` returns, raises or is cancelled. A
generator you stop reading does not run its `finally` until it is closed with
`await generator.aclose()`; asyncio would only close it later, after you have returned.
`contextlib.aclosing(generator)` closes it when its `async with` block ends, however it
ends. The builtins `aiter` and `anext` take one item at a time from an async iterator:
`await anext(iterator)` raises `StopAsyncIteration` when the iterator is finished.

Today `first_pairs` leaves both streams open when it returns.
"""

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing

Stream = Callable[[], AsyncGenerator[float, None]]


async def first_pairs(open_left: Stream, open_right: Stream, n: int) -> list[tuple[float, float]]:
    """The first `n` (left, right) reading pairs; both streams are closed on the way out."""
    # aclosing awaits each generator's aclose() as the block ends: its finally runs now.
    async with aclosing(open_left()) as left, aclosing(open_right()) as right:
        lefts, rights = aiter(left), aiter(right)
        pairs: list[tuple[float, float]] = []
        while len(pairs) < n:
            try:
                pairs.append((await anext(lefts), await anext(rights)))
            except StopAsyncIteration:
                break
        return pairs
