"""Wrong: releases the lock after a failed write but not after a read that raises."""

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
        await self._lock.acquire()
        try:
            balance = await self.store.read()
        except asyncio.CancelledError:
            self._lock.release()
            raise
        try:
            balance += amount
            await self.store.write(balance)
            return balance
        finally:
            self._lock.release()
