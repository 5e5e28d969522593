"""Let other tasks run during long work.

`process_all(items, step)` calls the plain (non-async) function `step` on each item
in turn and returns the results in the order of `items`. Each call is quick, but
there can be thousands of items, and today the loop over them never awaits: once it
starts, no other task on the event loop gets a turn until every item is done (a
server stops answering, a progress bar freezes).

Make `process_all` give control back to the event loop as it goes: other tasks must
get a turn between any two items. That must not cost any event-loop time, because the
work is not waiting for anything. If `step` raises, `process_all` stops at that item
and raises the error.
"""

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def process_all(items: list[T], step: Callable[[T], R]) -> list[R]:
    """Apply `step` to every item in order, letting other tasks run between items."""
    results: list[R] = []
    for item in items:
        results.append(step(item))
        # TODO: give the other tasks a turn here, without waiting for any time to pass.
    return results
