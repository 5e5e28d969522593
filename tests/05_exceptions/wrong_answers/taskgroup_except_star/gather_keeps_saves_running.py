"""Wrong: gather(return_exceptions=True) waits for every save instead of stopping the batch."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def import_batch(
    rows: list[str], save: Callable[[str], Coroutine[Any, Any, int]]
) -> tuple[list[int], list[str]]:
    """Save every row concurrently, all or nothing; return (ids, messages of refused rows)."""
    outcomes = await asyncio.gather(*(save(row) for row in rows), return_exceptions=True)
    others = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ValueError)]
    if others:
        raise ExceptionGroup("the batch failed", others)
    refused = [str(o) for o in outcomes if isinstance(o, ValueError)]
    if refused:
        return [], refused
    return [o for o in outcomes if isinstance(o, int)], []
