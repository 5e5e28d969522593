"""Wrong: collects the messages in a set, so two refusals with the same message become one."""

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
        # A set, so that the same refusal is not reported twice.
        refused = sorted({str(error) for error in failures.exceptions})
    if refused:
        return [], refused
    return [task.result() for task in tasks], []
