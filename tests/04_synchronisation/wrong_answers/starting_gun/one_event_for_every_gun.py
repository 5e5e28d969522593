"""Wrong: makes the event once, as a class attribute, so every gun shares one trigger."""

import asyncio


class StartingGun:
    """One signal that starts every runner waiting for it, and every runner after it."""

    _fired = asyncio.Event()

    def fire(self) -> None:
        """Start the race."""
        self._fired.set()

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        await self._fired.wait()
