"""Wrong: idle workers look at the queue every 0.1 s instead of waiting on it."""

import asyncio
import functools
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Request:
    """Work for the pool, and the future its requester awaits for the answer."""

    payload: str
    reply: asyncio.Future[Any]


async def serve(
    requests: asyncio.Queue[Request], handle: Callable[[str], Awaitable[Any]], workers: int
) -> int:
    """Answer requests with `workers` workers until SIGUSR1; return how many were answered."""
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    assert me is not None
    signalled = False
    answered = 0

    def on_signal() -> None:
        nonlocal signalled
        signalled = True
        me.cancel()

    async def answer(request: Request) -> None:
        nonlocal answered
        try:
            result = await handle(request.payload)
        except Exception as error:
            settle = functools.partial(request.reply.set_exception, error)
        else:
            settle = functools.partial(request.reply.set_result, result)
        try:
            settle()
        except asyncio.InvalidStateError:  # the requester gave up and cancelled its reply
            return
        answered += 1

    async def work() -> None:
        while True:
            try:
                request = requests.get_nowait()
            except asyncio.QueueEmpty:
                await asyncio.sleep(0.1)  # nothing to do yet; look again shortly
                continue
            answering = asyncio.ensure_future(answer(request))
            try:
                # The shield takes the worker's cancellation; the answer carries on under it.
                await asyncio.shield(answering)
            except asyncio.CancelledError:
                await answering  # finish the request in hand, then stop
                raise

    loop.add_signal_handler(signal.SIGUSR1, on_signal)
    try:
        async with asyncio.TaskGroup() as group:
            for n in range(workers):
                group.create_task(work()).set_name(f"worker-{n}")
    except asyncio.CancelledError:
        # uncancel() takes back the signal's cancellation; any still pending are the caller's.
        if signalled and me.uncancel() == 0:
            return answered
        raise
    finally:
        loop.remove_signal_handler(signal.SIGUSR1)
    raise AssertionError("the workers never stop on their own")
