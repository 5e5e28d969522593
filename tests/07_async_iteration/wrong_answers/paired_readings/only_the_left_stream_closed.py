"""Wrong: closes the left stream with aclosing but leaves the right one open."""

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing

Stream = Callable[[], AsyncGenerator[float, None]]


async def first_pairs(open_left: Stream, open_right: Stream, n: int) -> list[tuple[float, float]]:
    """The first `n` (left, right) reading pairs; both streams are closed on the way out."""
    # aclosing awaits each generator's aclose() as the block ends: its finally runs now.
    right = open_right()
    async with aclosing(open_left()) as left:
        lefts, rights = aiter(left), aiter(right)
        pairs: list[tuple[float, float]] = []
        while len(pairs) < n:
            try:
                pairs.append((await anext(lefts), await anext(rights)))
            except StopAsyncIteration:
                break
        return pairs
