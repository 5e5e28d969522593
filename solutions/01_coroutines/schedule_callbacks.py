"""Schedule plain callbacks on the loop.

Not everything on an event loop is a coroutine: the loop can also call an ordinary
function for you, soon or after a delay, with no task involved.

`schedule_reminders(reminders, notify)` is called from code running on the event loop.
For each `(delay, message)` in `reminders` it arranges for the plain function
`notify(message)` to be called `delay` seconds of event-loop time from now, then
returns at once, having called nothing itself. It returns one `asyncio.Handle` per
reminder, in the order of `reminders`; calling `.cancel()` on a handle before its
reminder is due means that reminder never fires.

A reminder with delay 0 is due straight away: it fires as soon as the loop gets
control back (not inside `schedule_reminders`), and reminders with delay 0 fire in
the order given. Careful: the loop promises no order among timers that fall due at
the same instant; only callbacks queued to run as soon as possible keep their order.
Reminders that share a delay greater than 0 may fire in any order.
"""

import asyncio
from collections.abc import Callable


def schedule_reminders(
    reminders: list[tuple[float, str]], notify: Callable[[str], object]
) -> list[asyncio.Handle]:
    """Arrange for `notify(message)` to run `delay` seconds from now for each reminder."""
    # call_soon's queue is first in, first out; timers due at the same instant keep no order.
    loop = asyncio.get_running_loop()
    return [
        loop.call_soon(notify, message) if delay == 0 else loop.call_later(delay, notify, message)
        for delay, message in reminders
    ]
