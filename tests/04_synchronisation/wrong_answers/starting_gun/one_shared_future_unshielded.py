"""Wrong: every runner awaits one shared future, so cancelling one runner cancels it for all."""

import asyncio


class StartingGun:
    """One signal that starts every runner waiting for it, and every runner after it."""

    def __init__(self) -> None:
        self._shot: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def fire(self) -> None:
        """Start the race."""
        if not self._shot.done():
            self._shot.set_result(None)

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        await self._shot
