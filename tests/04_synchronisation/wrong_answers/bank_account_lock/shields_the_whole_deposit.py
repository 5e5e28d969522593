"""Wrong: shields the whole deposit, so a cancelled deposit still writes its sum."""

import asyncio
from typing import Protocol


class Store(Protocol):
    """Where the balance lives; both calls take a while."""

    async def read(self) -> int:
        """The balance as last written."""
        ...

    async def write(self, balance: int) -> None:
        """Save a new balance."""
        ...


class Account:
    """A bank account whose balance is kept in `store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = asyncio.Lock()

    async def deposit(self, amount: int) -> int:
        """Add `amount` to the balance and return the new balance."""
        # The caller sees CancelledError, but the shielded deposit goes on and writes.
        return await asyncio.shield(self._locked_deposit(amount))

    async def _locked_deposit(self, amount: int) -> int:
        async with self._lock:
            balance = await self.store.read()
            balance += amount
            await self.store.write(balance)
            return balance
