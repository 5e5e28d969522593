"""Wrong: waits for the gun with a 30 s timeout "to be safe", and starts when it runs out."""

import asyncio


class StartingGun:
    """One signal that starts every runner waiting for it, and every runner after it."""

    def __init__(self) -> None:
        self._fired = asyncio.Event()

    def fire(self) -> None:
        """Start the race."""
        self._fired.set()

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        try:
            await asyncio.wait_for(self._fired.wait(), timeout=30)
        except TimeoutError:
            return  # a timeout is not the gun
