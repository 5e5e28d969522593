"""Wrong: raises the first other error by itself instead of in an ExceptionGroup."""

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
    except* Exception as others:
        raise others.exceptions[0] from None
    if refused:
        return [], refused
    return [task.result() for task in tasks], []
