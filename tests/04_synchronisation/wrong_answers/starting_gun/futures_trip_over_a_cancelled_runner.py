"""Wrong: resolves each waiting runner's future, even one already cancelled, so fire() raises."""

import asyncio


class StartingGun:
    """One signal that starts every runner waiting for it, and every runner after it."""

    def __init__(self) -> None:
        self._fired = False
        self._waiting: list[asyncio.Future[None]] = []

    def fire(self) -> None:
        """Start the race."""
        if self._fired:
            return
        self._fired = True
        for runner in self._waiting:
            runner.set_result(None)

    async def wait(self) -> None:
        """Return when the gun has fired: at once if it already has."""
        if self._fired:
            return
        runner = asyncio.get_running_loop().create_future()
        self._waiting.append(runner)
        await runner
