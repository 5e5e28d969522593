"""Wrong: calls open_left() and open_right() for every pair, so every pair is the first readings."""

from collections.abc import AsyncGenerator, Callable

Stream = Callable[[], AsyncGenerator[float, None]]


async def first_pairs(open_left: Stream, open_right: Stream, n: int) -> list[tuple[float, float]]:
    """The first `n` (left, right) reading pairs; both streams are closed on the way out."""
    pairs: list[tuple[float, float]] = []
    while len(pairs) < n:
        try:
            pairs.append((await anext(open_left()), await anext(open_right())))
        except StopAsyncIteration:
            break
    return pairs
