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

    # set() wakes every waiter in the same loop pass, and stays set for those who come later.
    def __init__(self) -> None:
        self._fired = asyncio.Event()

    def fire(self) -> None:
        """Start the race."""
        self._fired.set()

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        await self._fired.wait()
