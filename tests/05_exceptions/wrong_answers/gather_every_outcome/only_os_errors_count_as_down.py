"""Wrong: only a network error (OSError) makes a host down; any other error is raised."""

import asyncio
from collections.abc import Awaitable, Callable


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    """Ping every host concurrently; return (answers by host, errors by host)."""
    up: dict[str, float] = {}
    down: dict[str, Exception] = {}
    outcomes = await asyncio.gather(*(ping(host) for host in hosts), return_exceptions=True)
    for host, outcome in zip(hosts, outcomes, strict=True):
        if isinstance(outcome, OSError):
            down[host] = outcome
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            up[host] = outcome
    return up, down
