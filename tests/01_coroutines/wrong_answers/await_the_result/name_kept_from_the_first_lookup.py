"""Wrong: keeps each name it looked up (per directory and user): a renamed user gets the old one."""

from collections.abc import Awaitable, Callable

_names: dict[tuple[object, int], str] = {}


async def greet(
    user_id: int,
    fetch_name: Callable[[int], Awaitable[str]],
    record_visit: Callable[[int], Awaitable[None]],
) -> str:
    """Return "Hello, <name>!" for the user `user_id`, after recording the visit."""
    key = (fetch_name, user_id)
    if key not in _names:
        _names[key] = await fetch_name(user_id)
    await record_visit(user_id)
    return f"Hello, {_names[key]}!"
