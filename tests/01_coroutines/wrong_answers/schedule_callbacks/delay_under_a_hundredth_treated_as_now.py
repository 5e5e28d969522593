"""Wrong: treats delays under 10 ms as "now" (call_soon), so a 5 ms reminder fires at once."""

import asyncio
from collections.abc import Callable


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[asyncio.Handle]:
    loop = asyncio.get_running_loop()
    return [
        loop.call_soon(notify, message) if delay < 0.01 else loop.call_later(delay, notify, message)
        for delay, message in reminders
    ]
