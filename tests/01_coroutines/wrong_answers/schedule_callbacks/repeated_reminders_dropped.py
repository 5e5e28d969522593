"""Wrong: drops a reminder listed twice (dict.fromkeys), so a repeat gets no call and no handle."""

import asyncio
from collections.abc import Callable


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[asyncio.Handle]:
    """Arrange for `notify(message)` to run `delay` seconds from now for each reminder."""
    loop = asyncio.get_running_loop()
    # "No need to remind anyone of the same thing twice."
    return [
        loop.call_soon(notify, message) if delay == 0 else loop.call_later(delay, notify, message)
        for delay, message in dict.fromkeys(reminders)
    ]
