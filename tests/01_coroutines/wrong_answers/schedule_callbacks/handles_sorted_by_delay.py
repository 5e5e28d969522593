"""Wrong: schedules in order of delay and returns the handles in that order, not the given one."""

import asyncio
from collections.abc import Callable


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[asyncio.Handle]:
    """Arrange for `notify(message)` to run `delay` seconds from now for each reminder."""
    loop = asyncio.get_running_loop()
    handles = []
    for delay, message in sorted(reminders, key=lambda reminder: reminder[0]):
        if delay == 0:
            handles.append(loop.call_soon(notify, message))
        else:
            handles.append(loop.call_later(delay, notify, message))
    return handles
