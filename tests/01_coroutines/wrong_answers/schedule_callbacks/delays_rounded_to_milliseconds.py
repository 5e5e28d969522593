"""Wrong: rounds each delay to whole milliseconds, and one that rounds to 0 fires at once."""

import asyncio
from collections.abc import Callable


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[asyncio.Handle]:
    loop = asyncio.get_running_loop()
    handles = []
    for delay, message in reminders:
        delay = round(delay, 3)
        if delay == 0:
            handles.append(loop.call_soon(notify, message))
        else:
            handles.append(loop.call_later(delay, notify, message))
    return handles
