"""Make breakfast without waiting twice.

`make_breakfast(boil_water, toast_bread)` returns `(water, toast)`: what the async
function `boil_water()` returns, then what `toast_bread()` returns. Boiling takes 3
seconds and toasting 2, and neither needs the other. Today the code waits for the
kettle before it puts the bread in, so breakfast takes 5 seconds. Make the two
overlap, so that breakfast is ready as soon as the slower step is: 3 seconds.
If a step fails, `make_breakfast` must fail with that step's error.
"""

from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    """Boil the water and toast the bread at the same time; return (water, toast)."""
    # TODO: start both steps before you wait for either of them.
    water = await boil_water()
    toast = await toast_bread()
    return water, toast
