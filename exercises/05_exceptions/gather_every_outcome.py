"""Collect successes and failures together.

`ping_all(hosts, ping)` pings every host and returns two dicts, `(up, down)`: `up` maps each
host that answered to what `ping` returned (its latency), and `down` maps each host whose
ping raised an exception to that exception. Both follow the order of `hosts`. A failed ping
must not stop the other pings, nor lose their answers.

Today it pings the hosts one after another, so ten one-second pings take ten seconds. Run
the pings at the same time, so that ten take one second, failures included.

If `ping_all` itself is cancelled, the pings still running must be cancelled with it, and the
cancellation must reach the caller: being cancelled is not a failed ping to put in `down`.
"""

from collections.abc import Awaitable, Callable


async def ping_all(
    hosts: list[str], ping: Callable[[str], Awaitable[float]]
) -> tuple[dict[str, float], dict[str, Exception]]:
    """Ping every host concurrently; return (answers by host, errors by host)."""
    up: dict[str, float] = {}
    down: dict[str, Exception] = {}
    # TODO: run the pings concurrently; asyncio.gather can hand back errors as results.
    for host in hosts:
        try:
            up[host] = await ping(host)
        except Exception as error:
            down[host] = error
    return up, down
