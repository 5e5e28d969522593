"""Wrong: returns False in a `finally`, losing a cancel that comes during commit or rollback."""

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
        try:
            if exc_type is None:
                await self._db.commit()
            else:
                await self._db.rollback()
        finally:
            return False  # noqa: B012 (the mistake on show)
