"""Wrong: loops `async for` over the left stream and checks the count after each reading."""

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing

Stream = Callable[[], AsyncGenerator[float, None]]


async def first_pairs(open_left: Stream, open_right: Stream, n: int) -> list[tuple[float, float]]:
    """The first `n` (left, right) reading pairs; both streams are closed on the way out."""
    # aclosing awaits each generator's aclose() as the block ends: its finally runs now.
    async with aclosing(open_left()) as left, aclosing(open_right()) as right:
        pairs: list[tuple[float, float]] = []
        async for reading in left:
            if len(pairs) == n:
                break
            try:
                pairs.append((reading, await anext(right)))
            except StopAsyncIteration:
                break
        return pairs
