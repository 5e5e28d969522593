"""Wrong: retries a read that fails, so the store's error never reaches the caller of deposit."""

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
            for attempt in range(3):
                try:
                    balance = await self.store.read()
                    break
                except Exception:
                    if attempt == 2:
                        raise
            balance += amount
            await self.store.write(balance)
            return balance
