"""Wrong: gathers without return_exceptions, so the first failed ping raises and loses the rest."""

import asyncio
from collections.abc import Awaitable, Callable


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    """Ping every host concurrently; return (answers by host, errors by host)."""
    latencies = await asyncio.gather(*(ping(host) for host in hosts))
    return dict(zip(hosts, latencies, strict=True)), {}
