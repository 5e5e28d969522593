"""Wrong: only the call is inside the try; the error comes out of the `await`, outside it."""

from collections.abc import Awaitable, Callable


async def price_or_fallback(
    item: str, fetch_price: Callable[[str], Awaitable[float]], fallback: float
) -> float:
    """The price of `item`, or `fallback` when the price service cannot be reached."""
    try:
        pending = fetch_price(item)
    except ConnectionError:
        return fallback
    return await pending
