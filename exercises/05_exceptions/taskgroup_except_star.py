"""Handle a TaskGroup's ExceptionGroup.

`import_batch(rows, save)` saves every row at the same time inside one asyncio.TaskGroup and
returns `(ids, refused)`: the ids that `save` gave back, in the order of `rows`, and an empty
list. The batch is all-or-nothing: as soon as one save fails, the TaskGroup cancels the saves
still running and raises an ExceptionGroup holding every error.

`save` raises ValueError when the database refuses a row. A refused batch is an expected
outcome: handle its ValueErrors with `except*` and return `([], refused)`, where `refused`
holds the message (`str(error)`) of each ValueError. Any other error is unexpected: it must
still reach the caller inside an ExceptionGroup, without the ValueErrors you handled, even
when it arrived together with some.
"""

from collections.abc import Callable, Coroutine
from typing import Any


async def import_batch(
    rows: list[str], save: Callable[[str], Coroutine[Any, Any, int]]
) -> tuple[list[int], list[str]]:
    """Save every row concurrently, all or nothing; return (ids, messages of refused rows)."""
    # TODO: run the saves in an asyncio.TaskGroup and handle its ValueErrors with except*.
    raise NotImplementedError
