"""Wrong: checks done() now but sets the mailbox later, so outcomes of one instant all pass."""

import asyncio


def settle(mailbox: asyncio.Future[str], outcome: str | Exception) -> None:
    """Resolve `mailbox` with `outcome` if nothing has resolved or cancelled it yet."""
    if mailbox.done():
        return
    # Each outcome of the same instant finds the mailbox still empty, and each is queued.
    loop = mailbox.get_loop()
    if isinstance(outcome, Exception):
        loop.call_soon(mailbox.set_exception, outcome)
    else:
        loop.call_soon(mailbox.set_result, outcome)
