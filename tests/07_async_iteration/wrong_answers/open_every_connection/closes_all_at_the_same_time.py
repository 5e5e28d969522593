"""Wrong: closes every connection at the same time (a task each), not one after another."""

import asyncio
from contextlib import asynccontextmanager


@asynccontextmanager
async def connection(server, network):
    conn = await network.connect(server)
    try:
        yield conn
    finally:
        await network.close(conn)


async def _close_all(conns, network):
    tasks = [asyncio.ensure_future(network.close(c)) for c in reversed(conns)]
    if not tasks:
        return
    try:
        await asyncio.wait(tasks)
    except asyncio.CancelledError:
        await asyncio.wait(tasks)  # let the closes finish, then carry on cancelled
        raise
    for task in tasks:
        if task.exception() is not None:
            raise task.exception()


@asynccontextmanager
async def open_all(servers, network):
    conns = []
    try:
        for server in servers:
            conns.append(await network.connect(server))
        yield conns
    finally:
        await _close_all(conns, network)
