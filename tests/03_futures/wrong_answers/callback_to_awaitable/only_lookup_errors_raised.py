"""Wrong: re-raises only a LookupError; any other error from the service becomes an answer text."""

import asyncio
from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    request(query, answer.set_result, answer.set_exception)
    try:
        return await answer
    except LookupError:
        raise
    except Exception:
        return f"{query}: unavailable"
