"""Wrong: re-raises the unexpected errors as copies in a new group, not the errors themselves."""

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
        # A fresh group of fresh errors, so the caller sees nothing of the TaskGroup.
        copies = [type(error)(*error.args) for error in others.exceptions]
        raise ExceptionGroup("unexpected errors", copies) from None
    if refused:
        return [], refused
    return [task.result() for task in tasks], []
