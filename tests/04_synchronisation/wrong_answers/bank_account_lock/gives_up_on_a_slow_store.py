"""Wrong: a deposit gives the store's read a guessed 30 s before giving up."""

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
        async with self._lock:
            balance = await asyncio.wait_for(self.store.read(), 30) + amount
            await self.store.write(balance)
            return balance
