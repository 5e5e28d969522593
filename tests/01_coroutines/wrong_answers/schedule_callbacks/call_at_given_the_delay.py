"""Wrong: passes the delay to loop.call_at, which takes a moment on the loop's clock."""

import asyncio
from collections.abc import Callable


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[asyncio.Handle]:
    """Arrange for `notify(message)` to run `delay` seconds from now for each reminder."""
    loop = asyncio.get_running_loop()
    return [loop.call_at(delay, notify, message) for delay, message in reminders]
