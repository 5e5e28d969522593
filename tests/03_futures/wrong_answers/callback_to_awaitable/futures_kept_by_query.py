"""Wrong: keeps each pending future in a dict keyed by the query, so two asks of one query clash."""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]

_pending: dict[str, "asyncio.Future[str]"] = {}


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    # A second ask of the same query replaces the first one's future before it is resolved.
    _pending[query] = asyncio.get_running_loop().create_future()
    request(
        query,
        lambda text: _pending.pop(query).set_result(text),
        lambda error: _pending.pop(query).set_exception(error),
    )
    return await _pending[query]
