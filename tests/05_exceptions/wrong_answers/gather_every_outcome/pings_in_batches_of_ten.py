"""Wrong: pings the hosts in batches of ten, one batch after another."""

import asyncio
from collections.abc import Awaitable, Callable


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    outcomes: list[object] = []
    for i in range(0, len(hosts), 10):
        batch = hosts[i : i + 10]
        outcomes += await asyncio.gather(*(ping(h) for h in batch), return_exceptions=True)
    up: dict[str, float] = {}
    down: dict[str, Exception] = {}
    for host, outcome in zip(hosts, outcomes, strict=True):
        if isinstance(outcome, Exception):
            down[host] = outcome
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            up[host] = outcome
    return up, down
