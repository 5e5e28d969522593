"""Wrong: treats only an OSError as a failure; any other exception becomes the reply."""

import asyncio


def settle(mailbox: asyncio.Future[str], outcome: str | Exception) -> None:
    """Resolve `mailbox` with `outcome` if nothing has resolved or cancelled it yet."""
    if mailbox.done():
        return
    if isinstance(outcome, OSError):
        mailbox.set_exception(outcome)
    else:
        mailbox.set_result(outcome)  # type: ignore[arg-type]
