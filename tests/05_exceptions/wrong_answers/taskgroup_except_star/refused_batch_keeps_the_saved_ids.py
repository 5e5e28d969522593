"""Wrong: a refused batch still returns the ids saved before the refusal."""

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
    saved = [task.result() for task in tasks if not task.cancelled() and not task.exception()]
    return saved, refused
