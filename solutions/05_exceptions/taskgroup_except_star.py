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

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def import_batch(
    rows: list[str], save: Callable[[str], Coroutine[Any, Any, int]]
) -> tuple[list[int], list[str]]:
    """Save every row concurrently, all or nothing; return (ids, messages of refused rows)."""
    # except* takes the ValueErrors out of the group and re-raises whatever else it held.
    refused: list[str] = []
    tasks: list[asyncio.Task[int]] = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(save(row)) for row in rows]
    except* ValueError as failures:
        refused = [str(error) for error in failures.exceptions]
    if refused:
        return [], refused
    return [task.result() for task in tasks], []
