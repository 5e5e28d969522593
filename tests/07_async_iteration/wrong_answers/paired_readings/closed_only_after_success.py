"""Wrong: awaits aclose() on both streams after the loop, so an error or a cancellation skips it."""

from collections.abc import AsyncGenerator, Callable

Stream = Callable[[], AsyncGenerator[float, None]]


async def first_pairs(open_left: Stream, open_right: Stream, n: int) -> list[tuple[float, float]]:
    """The first `n` (left, right) reading pairs; both streams are closed on the way out."""
    left, right = open_left(), open_right()
    lefts, rights = aiter(left), aiter(right)
    pairs: list[tuple[float, float]] = []
    while len(pairs) < n:
        try:
            pairs.append((await anext(lefts), await anext(rights)))
        except StopAsyncIteration:
            break
    await left.aclose()
    await right.aclose()
    return pairs
