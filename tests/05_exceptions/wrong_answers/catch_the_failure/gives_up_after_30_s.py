"""Wrong: wraps the call in asyncio.wait_for with a guessed 30 s timeout."""

import asyncio
from collections.abc import Awaitable, Callable


async def price_or_fallback(
    item: str, fetch_price: Callable[[str], Awaitable[float]], fallback: float
) -> float:
    """The price of `item`, or `fallback` when the price service cannot be reached."""
    try:
        # A limit of our own, so that a hung service cannot hold the caller.
        return await asyncio.wait_for(fetch_price(item), timeout=30)
    except ConnectionError:
        return fallback
