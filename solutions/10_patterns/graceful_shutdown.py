"""Shut a worker pool down gracefully on a signal.

`serve(requests, handle, workers)` runs `workers` worker tasks, named "worker-0",
"worker-1", ..., that take `Request`s from the queue one at a time. A request carries a
payload and `reply`, a future its requester awaits: the worker sets the reply's result
to `await handle(payload)`, or its exception to the error `handle` raised, and moves on
to the next request. A requester that gives up cancels its reply; nobody is waiting for
that answer any more, and it is dropped (setting the result of a cancelled future
raises asyncio.InvalidStateError).

serve runs until the process receives SIGUSR1. Its handler, installed with
loop.add_signal_handler, interrupts serve the way Ctrl-C interrupts asyncio.run: it
cancels serve's own task. Then serve shuts down gracefully. Idle workers stop at once,
and no worker takes a new request. A request already being handled is finished and
answered first, so that cancellation must not reach `handle` (asyncio.shield). Then
serve returns how many requests it answered, and the signal handler is removed.

If serve's caller cancels it, serve shuts down the same way but then ends cancelled.
It tells the two apart with `task.uncancel()`, which takes back one cancellation and
says how many are still pending.

Today the pool works until the signal, but then cuts off the requests in hand, lets a
requester that gave up crash its worker, and swallows its caller's cancellation.
"""

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
            request = await requests.get()  # an idle worker is cancelled here, taking nothing
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
