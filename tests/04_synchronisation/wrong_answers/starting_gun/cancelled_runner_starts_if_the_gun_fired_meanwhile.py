"""Wrong: a runner cancelled as the gun fires swallows the CancelledError and starts anyway."""

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
            await self._fired.wait()
        except asyncio.CancelledError:
            if self._fired.is_set():
                return
            raise
