"""Wrong: a plain `except ValueError` never matches the ExceptionGroup a TaskGroup raises."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def import_batch(
    rows: list[str], save: Callable[[str], Coroutine[Any, Any, int]]
) -> tuple[list[int], list[str]]:
    """Save every row concurrently, all or nothing; return (ids, messages of refused rows)."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(save(row)) for row in rows]
    except ValueError as error:
        return [], [str(error)]
    return [task.result() for task in tasks], []
