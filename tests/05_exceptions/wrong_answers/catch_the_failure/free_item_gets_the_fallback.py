"""Wrong: returns `price or fallback`, so a free item (price 0.0) gets the fallback."""

import contextlib
from collections.abc import Awaitable, Callable


async def price_or_fallback(
    item: str, fetch_price: Callable[[str], Awaitable[float]], fallback: float
) -> float:
    """The price of `item`, or `fallback` when the price service cannot be reached."""
    price = None
    with contextlib.suppress(ConnectionError):
        price = await fetch_price(item)
    return price or fallback
