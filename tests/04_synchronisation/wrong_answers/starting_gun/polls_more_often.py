"""Wrong: still polls a flag, only more often, so runners still start a little late."""

import asyncio


class StartingGun:
    """One signal that starts every runner waiting for it, and every runner after it."""

    def __init__(self) -> None:
        self.fired = False

    def fire(self) -> None:
        """Start the race."""
        self.fired = True

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        while not self.fired:  # noqa: ASYNC110 (the mistake on show)
            await asyncio.sleep(0.01)
