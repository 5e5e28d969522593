"""Wrong: puts an answer in `up` only if it is truthy, so a latency of 0.0 is dropped."""

import asyncio
from collections.abc import Awaitable, Callable


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    outcomes = await asyncio.gather(*(ping(h) for h in hosts), return_exceptions=True)
    up: dict[str, float] = {}
    down: dict[str, Exception] = {}
    for host, outcome in zip(hosts, outcomes, strict=True):
        if isinstance(outcome, Exception):
            down[host] = outcome
        elif isinstance(outcome, BaseException):
            raise outcome
        elif outcome:
            up[host] = outcome
    return up, down
