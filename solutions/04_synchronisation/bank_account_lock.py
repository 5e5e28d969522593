"""Stop deposits from losing money.

An `Account` keeps its balance in a `store` that is slow to talk to: `await store.read()`
returns the balance and `await store.write(balance)` saves a new one, each taking a moment.
`account.deposit(amount)` reads the balance, adds `amount`, writes the sum back and returns
the new balance.

When several deposits run at the same time, they all read the same old balance while the
first one is still waiting for its write, and each then writes its own sum over the others:
money disappears. Make the deposits of one account take turns: from the moment a deposit
starts its read until its write has finished, no other deposit of that account may start.

If the store raises, the error must reach the caller of `deposit`. Whether a deposit fails
or is cancelled, the account must keep working for the deposits that come after it. A
cancelled deposit stops where it is: its caller is told it did not happen, so it must not
go on to write its sum anyway.
"""

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
        # One lock per account, shared by all its deposits: a lock made per call excludes no one.
        self._lock = asyncio.Lock()

    async def deposit(self, amount: int) -> int:
        """Add `amount` to the balance and return the new balance."""
        # Held across both awaits, and released by `async with` even when the store raises.
        async with self._lock:
            balance = await self.store.read()
            balance += amount
            await self.store.write(balance)
            return balance
