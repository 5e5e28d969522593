"""Wrong: skips a falsy outcome (`not outcome`), so an empty first reply is lost to a later one."""

import asyncio


def settle(mailbox: asyncio.Future[str], outcome: str | Exception) -> None:
    """Resolve `mailbox` with `outcome` if nothing has resolved or cancelled it yet."""
    if mailbox.done() or not outcome:
        return
    if isinstance(outcome, Exception):
        mailbox.set_exception(outcome)
    else:
        mailbox.set_result(outcome)
