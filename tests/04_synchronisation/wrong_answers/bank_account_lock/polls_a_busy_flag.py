"""Wrong: waits for a "busy" flag by checking it every 0.25 s, so a deposit starts late."""

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
        self._busy = False

    async def deposit(self, amount: int) -> int:
        """Add `amount` to the balance and return the new balance."""
        while self._busy:  # noqa: ASYNC110 (the mistake on show)
            await asyncio.sleep(0.25)
        self._busy = True
        try:
            balance = await self.store.read()
            balance += amount
            await self.store.write(balance)
            return balance
        finally:
            self._busy = False
