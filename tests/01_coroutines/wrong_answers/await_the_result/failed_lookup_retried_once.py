"""Wrong: a failed lookup is retried once (fetch_name called twice), then the first error raised."""

from collections.abc import Awaitable, Callable


async def greet(
    user_id: int,
    fetch_name: Callable[[int], Awaitable[str]],
    record_visit: Callable[[int], Awaitable[None]],
) -> str:
    try:
        name = await fetch_name(user_id)
    except LookupError as first:
        try:
            name = await fetch_name(user_id)  # maybe it was a blip
        except LookupError:
            raise first from None
    await record_visit(user_id)
    return f"Hello, {name}!"
