"""Wrong: wakes the runners waiting at the time of firing, but forgets that the gun fired."""

import asyncio


class StartingGun:
    """One signal that starts every runner waiting for it, and every runner after it."""

    def __init__(self) -> None:
        self._waiting: list[asyncio.Future[None]] = []

    def fire(self) -> None:
        """Start the race."""
        for runner in self._waiting:
            if not runner.done():
                runner.set_result(None)
        self._waiting.clear()

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        runner = asyncio.get_running_loop().create_future()
        self._waiting.append(runner)
        await runner
