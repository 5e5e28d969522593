"""Resolve a future exactly once.

Several mirrors race to answer the same question. Each one, when its outcome arrives
(from an event-loop callback), calls `settle(mailbox, outcome)`: `outcome` is the reply
text, or an exception if that mirror failed. Whoever awaits `mailbox` must get the
FIRST outcome: its reply, or its exception raised.

Today the second mirror to call `settle` crashes with `asyncio.InvalidStateError`,
because a future can be resolved only once. Make `settle` ignore every outcome after
the first one. The waiter may also give up before anyone answers (the mailbox is then
cancelled): outcomes arriving after that must be ignored too, without crashing.
"""

import asyncio


def settle(mailbox: asyncio.Future[str], outcome: str | Exception) -> None:
    """Resolve `mailbox` with `outcome` if nothing has resolved or cancelled it yet."""
    # done() is true once the future has a result, an exception or was cancelled.
    if mailbox.done():
        return
    if isinstance(outcome, Exception):
        mailbox.set_exception(outcome)
    else:
        mailbox.set_result(outcome)
