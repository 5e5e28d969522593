"""Write an async context manager class.

`async with Transaction(db) as tx:` begins a transaction with `await db.begin()` and
gives the block `tx`, the `Transaction` itself. When the block ends normally, the
transaction is committed with `await db.commit()`. When the block raises, or the task is
cancelled inside it, the transaction is rolled back with `await db.rollback()`, and then
the error (or the cancellation) carries on out of the `async with`: a transaction never
hides what went wrong. If `begin()` itself fails, the block never runs and there is
nothing to commit or roll back.

`async with` calls `await tx.__aenter__()` before the block and
`await tx.__aexit__(exc_type, exc, traceback)` after it, with three Nones when the block
ended normally; a true return value from `__aexit__` swallows the exception. Today every
transaction is committed and every error swallowed.
"""

from types import TracebackType
from typing import Protocol


class Database(Protocol):
    """What a transaction needs from the database."""

    async def begin(self) -> None:
        """Start a transaction."""

    async def commit(self) -> None:
        """Make the transaction's changes permanent."""

    async def rollback(self) -> None:
        """Undo the transaction's changes."""


class Transaction:
    """Commits when its block succeeds; rolls back and lets the error out when it fails."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def __aenter__(self) -> "Transaction":
        """Begin the transaction."""
        await self._db.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        """Commit, or roll back if the block failed; never swallow the failure."""
        # CancelledError is a BaseException, so test for any exception; False lets it go on.
        if exc_type is None:
            await self._db.commit()
        else:
            await self._db.rollback()
        return False
