"""Wrong: `except* Exception` handles every error, so a lost database counts as a refusal."""

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
    except* Exception as failures:
        refused = [str(error) for error in failures.exceptions]
    if refused:
        return [], refused
    return [task.result() for task in tasks], []
