"""Wrong: asyncio.wait collects every outcome, but a cancelled ping_all leaves the pings running."""

import asyncio
from collections.abc import Awaitable, Callable


async def _ping(ping: Callable[[str], Awaitable[float]], host: str) -> float:
    return await ping(host)


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    """Ping every host concurrently; return (answers by host, errors by host)."""
    tasks = {host: asyncio.create_task(_ping(ping, host)) for host in hosts}
    if tasks:
        await asyncio.wait(tasks.values())
    up: dict[str, float] = {}
    down: dict[str, Exception] = {}
    for host, task in tasks.items():
        error = task.exception()
        if isinstance(error, Exception):
            down[host] = error
        else:
            up[host] = task.result()
    return up, down
