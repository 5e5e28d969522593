"""Wrong: awaits record_visit twice ("to be sure"), so every visit is counted twice."""

from collections.abc import Awaitable, Callable


async def greet(
    user_id: int,
    fetch_name: Callable[[int], Awaitable[str]],
    record_visit: Callable[[int], Awaitable[None]],
) -> str:
    """Return "Hello, <name>!" for the user `user_id`, after recording the visit."""
    name = await fetch_name(user_id)
    await record_visit(user_id)
    await record_visit(user_id)
    return f"Hello, {name}!"
