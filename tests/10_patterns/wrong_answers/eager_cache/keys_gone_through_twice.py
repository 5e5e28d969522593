"""Wrong: goes through `keys` twice, so keys given as a generator come back empty."""

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
    previous = loop.get_task_factory()
    # An eager task runs inside create_task; a cache hit never reaches the loop at all.
    loop.set_task_factory(asyncio.eager_task_factory)  # type: ignore[attr-defined]  # 3.12+
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(key)) for key in keys]
    finally:
        loop.set_task_factory(previous)
    return {key: task.result() for key, task in zip(keys, tasks, strict=False)}
