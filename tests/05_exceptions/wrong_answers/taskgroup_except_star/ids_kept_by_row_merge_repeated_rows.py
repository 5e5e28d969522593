"""Wrong: keeps the ids in a dict keyed by row, so a row listed twice gives one id, not two."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def import_batch(
    rows: list[str], save: Callable[[str], Coroutine[Any, Any, int]]
) -> tuple[list[int], list[str]]:
    ids: dict[str, int] = dict.fromkeys(rows, 0)

    async def save_one(row: str) -> None:
        ids[row] = await save(row)

    refused: list[str] = []
    try:
        async with asyncio.TaskGroup() as group:
            for row in rows:
                group.create_task(save_one(row))
    except* ValueError as failures:
        refused = [str(error) for error in failures.exceptions]
    if refused:
        return [], refused
    return list(ids.values()), []
