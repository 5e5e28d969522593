"""Wrong: tells success from failure by the truthiness of the answer, so an empty "" raises."""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    called_back = asyncio.Event()
    outcome: dict[str, object] = {}

    def on_done(answer: str) -> None:
        outcome["answer"] = answer
        called_back.set()

    def on_error(error: Exception) -> None:
        outcome["error"] = error
        called_back.set()

    request(query, on_done, on_error)
    await called_back.wait()
    if outcome.get("answer"):
        return outcome["answer"]  # type: ignore[return-value]
    raise outcome["error"]  # type: ignore[misc]
