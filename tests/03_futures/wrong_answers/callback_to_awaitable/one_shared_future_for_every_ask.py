"""Wrong: keeps the future in one module-level variable, so concurrent asks mix up.

The callbacks look the variable up when they run, by which time a later ask has replaced
it: an earlier ask's future is never resolved.
"""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]

_answer: "asyncio.Future[str] | None" = None


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    global _answer
    _answer = asyncio.get_running_loop().create_future()
    request(
        query,
        lambda text: _answer.set_result(text),  # type: ignore[union-attr]
        lambda error: _answer.set_exception(error),  # type: ignore[union-attr]
    )
    return await _answer
