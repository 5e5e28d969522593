"""Wrong: also falls back on EOFError (IncompleteReadError is one): not a ConnectionError."""

from collections.abc import Awaitable, Callable


async def price_or_fallback(
    item: str, fetch_price: Callable[[str], Awaitable[float]], fallback: float
) -> float:
    """The price of `item`, or `fallback` when the price service cannot be reached."""
    try:
        return await fetch_price(item)
    except (ConnectionError, EOFError):
        return fallback
