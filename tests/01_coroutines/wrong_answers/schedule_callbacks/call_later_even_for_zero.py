"""Wrong: uses timers for delay 0 too, and timers due at the same instant keep no order."""

import asyncio
from collections.abc import Callable


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[asyncio.Handle]:
    """Arrange for `notify(message)` to run `delay` seconds from now for each reminder."""
    loop = asyncio.get_running_loop()
    return [loop.call_later(delay, notify, message) for delay, message in reminders]
