"""Turn a callback API into something you can await.

An old weather service has no coroutines. You call
`request(query, on_done, on_error)` and it returns at once; later, from the event
loop, it calls `on_done(answer)` with the answer, or `on_error(error)` with an
exception if the query failed.

Write `ask(query, request)` so callers can simply `answer = await ask(query, request)`:
it sends the query and returns the answer at the very moment the service calls back,
or raises the error the service handed to `on_error`. Several `ask` calls must be
able to wait at the same time. Use a future: `asyncio.get_running_loop().create_future()`
makes one, and `set_result` / `set_exception` resolve it.
"""

from collections.abc import Callable

OnDone = Callable[[str], None]
OnError = Callable[[Exception], None]
Request = Callable[[str, OnDone, OnError], None]


async def ask(query: str, request: Request) -> str:
    """Send `query` through the callback-style `request` and return its answer."""
    # TODO: make a future, let the service's callbacks resolve it, then await it.
    raise NotImplementedError
