"""Wrong: tests `type(error) is ValueError`, so a subclass of ValueError is not a refusal."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def import_batch(
    rows: list[str], save: Callable[[str], Coroutine[Any, Any, int]]
) -> tuple[list[int], list[str]]:
    """Save every row concurrently, all or nothing; return (ids, messages of refused rows)."""
    refused: list[str] = []
    tasks: list[asyncio.Task[int]] = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(save(row)) for row in rows]
    except ExceptionGroup as group:
        refused = [str(error) for error in group.exceptions if type(error) is ValueError]
        others = [error for error in group.exceptions if type(error) is not ValueError]
        if others:
            raise ExceptionGroup("unexpected errors", others) from None
    if refused:
        return [], refused
    return [task.result() for task in tasks], []
