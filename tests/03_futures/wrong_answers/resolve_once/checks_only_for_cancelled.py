"""Wrong: skips cancelled mailboxes but still sets one that already holds an outcome."""

import asyncio


def settle(mailbox: asyncio.Future[str], outcome: str | Exception) -> None:
    """Resolve `mailbox` with `outcome` if nothing has resolved or cancelled it yet."""
    if mailbox.cancelled():
        return
    if isinstance(outcome, Exception):
        mailbox.set_exception(outcome)
    else:
        mailbox.set_result(outcome)
