"""Wrong: a delay-0 reminder is queued by a callback of its own, so it fires a loop pass late."""

import asyncio
from collections.abc import Callable


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[asyncio.Handle]:
    """Arrange for `notify(message)` to run `delay` seconds from now for each reminder."""
    loop = asyncio.get_running_loop()
    handles: list[asyncio.Handle] = []
    for delay, message in reminders:
        if delay == 0:
            handles.append(loop.call_soon(loop.call_soon, notify, message))
        else:
            handles.append(loop.call_later(delay, notify, message))
    return handles
