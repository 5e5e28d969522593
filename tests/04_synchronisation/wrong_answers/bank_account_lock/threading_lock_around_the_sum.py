"""Wrong: guards only the addition with a threading.Lock; the awaits around it stay unguarded."""

import threading
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
        self._lock = threading.Lock()

    async def deposit(self, amount: int) -> int:
        """Add `amount` to the balance and return the new balance."""
        balance = await self.store.read()
        with self._lock:
            balance += amount
        await self.store.write(balance)
        return balance
