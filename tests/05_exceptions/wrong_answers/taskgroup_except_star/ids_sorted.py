"""Wrong: returns the ids sorted, not in the order of the rows."""

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
    except* ValueError as failures:
        refused = [str(error) for error in failures.exceptions]
    if refused:
        return [], refused
    return sorted(task.result() for task in tasks), []
