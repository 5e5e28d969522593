"""Fall back when an awaited call fails.

`price_or_fallback(item, fetch_price, fallback)` awaits `fetch_price(item)` and returns the
price it gives back. The price service is sometimes unreachable: then `fetch_price` raises
ConnectionError (or one of its subclasses, such as ConnectionRefusedError), and
`price_or_fallback` must return `fallback` instead.

Catch nothing else. Any other error is a bug to fix, not an outage to hide, so it must reach
the caller unchanged. And if the task running `price_or_fallback` is cancelled while it waits,
the cancellation (asyncio.CancelledError) must go through as well: a cancelled call ends
cancelled, it does not come back with the fallback.
"""

from collections.abc import Awaitable, Callable


async def price_or_fallback(
    item: str, fetch_price: Callable[[str], Awaitable[float]], fallback: float
) -> float:
    """The price of `item`, or `fallback` when the price service cannot be reached."""
    # TODO: await the call inside a `try`, and catch ConnectionError only.
    raise NotImplementedError
