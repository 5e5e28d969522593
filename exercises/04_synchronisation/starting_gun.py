"""Start every runner on one signal.

Runners wait at the line with `await gun.wait()`; the starter calls `gun.fire()` (a plain
function, so it can also be called from a callback). Every runner waiting must start at the
very moment the gun fires. A runner who reaches the line after the gun has fired starts at
once. Firing again changes nothing.

A runner who is cancelled while waiting leaves the race (its `wait()` raises
CancelledError), and the others still start when the gun fires.

Today the runners look at a flag every half second, so they start late, and not all at the
same moment. Make them start exactly when the gun fires.
"""

import asyncio


class StartingGun:
    """One signal that starts every runner waiting for it, and every runner after it."""

    # TODO: replace the flag and the polling loop with an asyncio.Event.
    def __init__(self) -> None:
        self.fired = False

    def fire(self) -> None:
        """Start the race."""
        self.fired = True

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        while not self.fired:  # noqa: ASYNC110 (the polling this exercise replaces)
            await asyncio.sleep(0.5)
