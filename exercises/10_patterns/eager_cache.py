"""Start tasks eagerly when most of them can finish at once.

`lookup_all(keys, cache, fetch)` returns `{key: value}` for `keys`. A value comes from
`cache` (a dict) when the key is there; otherwise it is `await fetch(key)`, which is then
stored in `cache`. One task per key runs in a TaskGroup, so that the fetches overlap.

Most keys are cached, and for those a task is wasted effort: a new task waits for the
event loop's next pass before it runs its first line, so even an answer that is ready
costs a trip through the loop. An *eager* task starts running inside create_task, up to
its first real wait, and one that never waits is done before create_task returns.

Make the tasks eager: while lookup_all creates them, the running loop's task factory is
asyncio.eager_task_factory. When lookup_all ends, however it ends, the loop has the
task factory back that it had before (loop.get_task_factory()). If a fetch fails, the
TaskGroup's ExceptionGroup comes out of lookup_all. Needs Python 3.12 or newer.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def lookup_all(
    keys: Iterable[str], cache: dict[str, Any], fetch: Callable[[str], Awaitable[Any]]
) -> dict[str, Any]:
    """Each key's value, from the cache when it is there, eagerly."""

    async def one(key: str) -> Any:
        if key not in cache:
            cache[key] = await fetch(key)
        return cache[key]

    loop = asyncio.get_running_loop()
    # TODO: make the loop's task factory asyncio.eager_task_factory while the tasks are
    # created, and give the loop its previous factory back however this ends.
    async with asyncio.TaskGroup() as group:
        tasks = {key: group.create_task(one(key)) for key in keys}
    return {key: task.result() for key, task in tasks.items()}
