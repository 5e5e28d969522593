"""Wrong: remembers settled mailboxes by id(), so a new one that reuses an old id is ignored."""

import asyncio

_settled: set[int] = set()


def settle(mailbox: asyncio.Future[str], outcome: str | Exception) -> None:
    """Resolve `mailbox` with `outcome` if nothing has resolved or cancelled it yet."""
    if mailbox.cancelled() or id(mailbox) in _settled:
        return
    _settled.add(id(mailbox))
    if isinstance(outcome, Exception):
        mailbox.set_exception(outcome)
    else:
        mailbox.set_result(outcome)
