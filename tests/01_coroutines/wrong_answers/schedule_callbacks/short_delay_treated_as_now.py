"""Wrong: treats any delay under a second as "now" (loop.call_soon), so short ones fire early."""

import asyncio
from collections.abc import Callable


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[asyncio.Handle]:
    """Arrange for `notify(message)` to run `delay` seconds from now for each reminder."""
    loop = asyncio.get_running_loop()
    return [
        loop.call_soon(notify, message) if delay < 1 else loop.call_later(delay, notify, message)
        for delay, message in reminders
    ]
