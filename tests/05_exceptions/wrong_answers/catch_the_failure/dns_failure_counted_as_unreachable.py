"""Wrong: also falls back on socket.gaierror, an OSError that is not a ConnectionError."""

import socket
from collections.abc import Awaitable, Callable


async def price_or_fallback(
    item: str, fetch_price: Callable[[str], Awaitable[float]], fallback: float
) -> float:
    """The price of `item`, or `fallback` when the price service cannot be reached."""
    try:
        return await fetch_price(item)
    except (ConnectionError, socket.gaierror):
        return fallback
