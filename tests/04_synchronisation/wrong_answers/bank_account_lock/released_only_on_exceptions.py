"""Wrong: releases the lock on an Exception but not on cancellation.

CancelledError is a BaseException, so one cancelled deposit locks the account for good.
"""

import asyncio
from typing import Protocol


class Store(Protocol):
    async def read(self) -> int: ...
    async def write(self, balance: int) -> None: ...


class Account:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = asyncio.Lock()

    async def deposit(self, amount: int) -> int:
        await self._lock.acquire()
        try:
            balance = await self.store.read()
            balance += amount
            await self.store.write(balance)
        except Exception:
            self._lock.release()
            raise
        self._lock.release()
        return balance
