"""Wrong: sets the event and clears it straight away, so runners arriving later wait forever."""

import asyncio


class StartingGun:
    """One signal that starts every runner waiting for it, and every runner after it."""

    def __init__(self) -> None:
        self._fired = asyncio.Event()

    def fire(self) -> None:
        """Start the race."""
        self._fired.set()
        self._fired.clear()

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        await self._fired.wait()
