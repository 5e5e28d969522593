"""Wrong: makes a new lock inside every deposit, so no two deposits ever share one."""

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

    async def deposit(self, amount: int) -> int:
        """Add `amount` to the balance and return the new balance."""
        async with asyncio.Lock():
            balance = await self.store.read()
            balance += amount
            await self.store.write(balance)
            return balance
