"""Wrong: takes error.args[0] for the message instead of str(error)."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def import_batch(
    rows: list[str], save: Callable[[str], Coroutine[Any, Any, int]]
) -> tuple[list[int], list[str]]:
    refused: list[str] = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(save(row)) for row in rows]
    except* ValueError as failures:
        refused = [error.args[0] for error in failures.exceptions]
    if refused:
        return [], refused
    return [task.result() for task in tasks], []
