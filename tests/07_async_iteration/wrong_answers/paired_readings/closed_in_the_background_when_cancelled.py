"""Wrong: closes both streams on return or error, but when cancelled leaves it to new tasks."""

import asyncio
from collections.abc import AsyncGenerator, Callable

Stream = Callable[[], AsyncGenerator[float, None]]
_closing: set[asyncio.Task[None]] = set()


async def first_pairs(open_left: Stream, open_right: Stream, n: int) -> list[tuple[float, float]]:
    """The first `n` (left, right) reading pairs; both streams are closed on the way out."""
    left, right = open_left(), open_right()
    lefts, rights = aiter(left), aiter(right)
    try:
        pairs: list[tuple[float, float]] = []
        while len(pairs) < n:
            try:
                pairs.append((await anext(lefts), await anext(rights)))
            except StopAsyncIteration:
                break
        return pairs
    except asyncio.CancelledError:
        # A cancelled task should not wait, or so this answer thinks.
        _closing.update({asyncio.create_task(left.aclose()), asyncio.create_task(right.aclose())})
        raise
    finally:
        task = asyncio.current_task()
        if task is None or not task.cancelling():
            try:
                await left.aclose()
            finally:
                await right.aclose()
