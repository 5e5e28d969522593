"""Wrong: fills the dicts as the pings finish, so they follow finishing order, not `hosts`."""

import asyncio
from collections.abc import Awaitable, Callable


async def _outcome(
    ping: Callable[[str], Awaitable[float]], host: str
) -> tuple[str, float | Exception]:
    try:
        return host, await ping(host)
    except Exception as error:
        return host, error


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    """Ping every host concurrently; return (answers by host, errors by host)."""
    up: dict[str, float] = {}
    down: dict[str, Exception] = {}
    for finished in asyncio.as_completed([_outcome(ping, host) for host in hosts]):
        host, outcome = await finished
        if isinstance(outcome, Exception):
            down[host] = outcome
        else:
            up[host] = outcome
    return up, down
