"""Wrong: fills both dicts in alphabetical order of the hosts, not in the order of `hosts`."""

import asyncio
from collections.abc import Awaitable, Callable


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    """Ping every host concurrently; return (answers by host, errors by host)."""
    up: dict[str, float] = {}
    down: dict[str, Exception] = {}
    outcomes = await asyncio.gather(*(ping(host) for host in hosts), return_exceptions=True)
    for host, outcome in sorted(zip(hosts, outcomes, strict=True), key=lambda pair: pair[0]):
        if isinstance(outcome, Exception):
            down[host] = outcome
        elif isinstance(outcome, BaseException):
            raise outcome  # a ping that was cancelled did not fail: pass the cancellation on
        else:
            up[host] = outcome
    return up, down
