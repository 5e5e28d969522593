"""A coroutine object is not a result.

`greet(user_id, fetch_name, record_visit)` looks up the user's name with the async
function `fetch_name(user_id)`, records the visit with the async function
`record_visit(user_id)`, and returns "Hello, <name>!".

Calling an async function does not run it: it only builds a coroutine object, and
nothing happens until that object is awaited. Today `greet` forgets this twice: it
greets the coroutine object instead of the name, and the visit is never recorded.
Make `greet` return the real greeting, with the visit recorded before it returns.
If the name lookup fails, `greet` must raise that error.
"""

from collections.abc import Awaitable, Callable


async def greet(
    user_id: int,
    fetch_name: Callable[[int], Awaitable[str]],
    record_visit: Callable[[int], Awaitable[None]],
) -> str:
    """Return "Hello, <name>!" for the user `user_id`, after recording the visit."""
    # `await` runs each coroutine to the end and hands back its value (or raises its error).
    name = await fetch_name(user_id)
    await record_visit(user_id)
    return f"Hello, {name}!"
