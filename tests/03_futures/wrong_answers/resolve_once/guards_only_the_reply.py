"""Wrong: guards set_result but not set_exception, so an error after the first reply crashes."""

import asyncio


def settle(mailbox: asyncio.Future[str], outcome: str | Exception) -> None:
    """Resolve `mailbox` with `outcome` if nothing has resolved or cancelled it yet."""
    if isinstance(outcome, Exception):
        mailbox.set_exception(outcome)
    elif not mailbox.done():
        mailbox.set_result(outcome)
