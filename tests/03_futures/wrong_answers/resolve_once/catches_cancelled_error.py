"""Wrong: catches CancelledError, but resolving a done future raises InvalidStateError."""

import asyncio


def settle(mailbox: asyncio.Future[str], outcome: str | Exception) -> None:
    """Resolve `mailbox` with `outcome` if nothing has resolved or cancelled it yet."""
    try:
        if isinstance(outcome, Exception):
            mailbox.set_exception(outcome)
        else:
            mailbox.set_result(outcome)
    except asyncio.CancelledError:
        pass
