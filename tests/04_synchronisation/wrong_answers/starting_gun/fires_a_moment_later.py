"""Wrong: fire() sets the event a moment later, so every runner starts late."""

import asyncio


class StartingGun:
    """One signal that starts every runner waiting for it, and every runner after it."""

    def __init__(self) -> None:
        self._fired = asyncio.Event()

    def fire(self) -> None:
        """Start the race."""
        # "Safer from a callback" it is not: set() is already a plain, non-blocking call.
        asyncio.get_running_loop().call_later(0.01, self._fired.set)

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        await self._fired.wait()
