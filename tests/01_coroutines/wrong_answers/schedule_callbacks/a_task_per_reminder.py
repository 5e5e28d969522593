"""Wrong: starts a sleeping task per reminder instead of scheduling plain callbacks."""

import asyncio
from collections.abc import Callable
from typing import Any


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[Any]:
    """Arrange for `notify(message)` to run `delay` seconds from now for each reminder."""

    async def remind(delay: float, message: str) -> None:
        await asyncio.sleep(delay)
        notify(message)

    return [asyncio.create_task(remind(delay, message)) for delay, message in reminders]
