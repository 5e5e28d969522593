"""Wrong: calls both async functions first, as if that started them, then awaits each in turn."""

from collections.abc import Awaitable, Callable


async def make_breakfast(
    boil_water: Callable[[], Awaitable[str]],
    toast_bread: Callable[[], Awaitable[str]],
) -> tuple[str, str]:
    """Boil the water and toast the bread at the same time; return (water, toast)."""
    boiling = boil_water()
    toasting = toast_bread()
    water = await boiling
    toast = await toasting
    return water, toast
