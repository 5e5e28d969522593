"""Wrong: takes the right reading before the left one in each pair."""

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing

Stream = Callable[[], AsyncGenerator[float, None]]


async def first_pairs(open_left: Stream, open_right: Stream, n: int) -> list[tuple[float, float]]:
    """The first `n` (left, right) reading pairs; both streams are closed on the way out."""
    async with aclosing(open_left()) as left, aclosing(open_right()) as right:
        lefts, rights = aiter(left), aiter(right)
        pairs: list[tuple[float, float]] = []
        while len(pairs) < n:
            try:
                right_reading = await anext(rights)
                pairs.append((await anext(lefts), right_reading))
            except StopAsyncIteration:
                break
        return pairs
