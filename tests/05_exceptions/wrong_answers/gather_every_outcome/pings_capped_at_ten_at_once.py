"""Wrong: caps the pings at a guessed ten at a time with a Semaphore."""

import asyncio
from collections.abc import Awaitable, Callable


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    limit = asyncio.Semaphore(10)

    async def limited(host: str) -> float:
        async with limit:
            return await ping(host)

    outcomes = await asyncio.gather(*(limited(h) for h in hosts), return_exceptions=True)
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
