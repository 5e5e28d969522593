"""Wrong: turns the lookup's error into a KeyError (a LookupError too, but a new object)."""

from collections.abc import Awaitable, Callable


async def greet(
    user_id: int,
    fetch_name: Callable[[int], Awaitable[str]],
    record_visit: Callable[[int], Awaitable[None]],
) -> str:
    """Return "Hello, <name>!" for the user `user_id`, after recording the visit."""
    try:
        name = await fetch_name(user_id)
    except Exception as error:
        raise KeyError(str(error)) from None
    await record_visit(user_id)
    return f"Hello, {name}!"
