"""Wrong: waits at most 30 s for the pings and counts a slower host as down."""

import asyncio
from collections.abc import Awaitable, Callable


async def _ping(ping: Callable[[str], Awaitable[float]], host: str) -> float:
    return await ping(host)


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    """Ping every host concurrently; return (answers by host, errors by host)."""
    tasks = {host: asyncio.create_task(_ping(ping, host)) for host in hosts}
    try:
        if tasks:
            # A limit of our own, so that one dead host cannot hold the whole report.
            await asyncio.wait(tasks.values(), timeout=30)
    finally:
        for task in tasks.values():
            task.cancel()
    up: dict[str, float] = {}
    down: dict[str, Exception] = {}
    for host, task in tasks.items():
        if task.cancelled():
            down[host] = TimeoutError(f"{host} did not answer within 30 s")
        elif isinstance(error := task.exception(), Exception):
            down[host] = error
        else:
            up[host] = task.result()
    return up, down
