"""Wrong: raises a new LookupError naming the user instead of the lookup's own error."""

from collections.abc import Awaitable, Callable


async def greet(
    user_id: int,
    fetch_name: Callable[[int], Awaitable[str]],
    record_visit: Callable[[int], Awaitable[None]],
) -> str:
    """Return "Hello, <name>!" for the user `user_id`, after recording the visit."""
    try:
        name = await fetch_name(user_id)
    except LookupError as error:
        raise LookupError(f"greet({user_id}) failed: {error}") from error
    await record_visit(user_id)
    return f"Hello, {name}!"
