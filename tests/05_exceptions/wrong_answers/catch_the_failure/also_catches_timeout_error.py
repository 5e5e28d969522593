"""Wrong: also treats TimeoutError as "unreachable" and falls back.

That hides an error the docstring says must reach the caller ("Catch nothing else").
"""

from collections.abc import Awaitable, Callable


async def price_or_fallback(
    item: str, fetch_price: Callable[[str], Awaitable[float]], fallback: float
) -> float:
    try:
        return await fetch_price(item)
    except (ConnectionError, TimeoutError):
        return fallback
