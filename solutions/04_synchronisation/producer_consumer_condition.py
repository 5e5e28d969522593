"""Hand items over with a Condition.

A `Handoff` passes items from producers to consumers, oldest first:

- `await handoff.put(item)` adds an item and wakes a consumer waiting for one.
- `await handoff.get()` returns the oldest item, first waiting until there is one.
- `await handoff.close()` says no more items are coming. Items already put are still handed
  out; once they are gone, `get()` raises `Closed`, in consumers already waiting too.
  `put()` after `close()` raises `Closed`.

Each item goes to exactly one consumer, and a consumer waiting for an item gets it at the
moment it is put. A consumer cancelled while it waits takes nothing, and the items put
after that go to the consumers still waiting. So does an item whose `put()` woke a consumer
that was then cancelled before it could run: it goes at once to the next consumer waiting.

Use the `asyncio.Condition` the handoff already has: hold it while you look at or change
`_items` and `_closed`, wait on it until there is something for you, and notify whoever
may be waiting when you change something they wait for.
"""

import asyncio
from collections import deque


class Closed(Exception):
    """Raised by get() once the handoff is closed and empty, and by put() after close()."""


class Handoff:
    """Passes items from producers to consumers, oldest first."""

    def __init__(self) -> None:
        self._items: deque[str] = deque()
        self._closed = False
        self._changed = asyncio.Condition()

    async def put(self, item: str) -> None:
        """Add `item` and wake a consumer waiting for one; raise Closed after close()."""
        # Notify on every put, under the lock: one new item is work for one more consumer.
        async with self._changed:
            if self._closed:
                raise Closed("put() after close()")
            self._items.append(item)
            self._changed.notify()

    async def get(self) -> str:
        """Wait until there is an item and return the oldest; raise Closed if none will come."""
        # wait_for checks before waiting and again after every wakeup, so nothing is missed.
        async with self._changed:
            try:
                await self._changed.wait_for(lambda: self._items or self._closed)
            except asyncio.CancelledError:
                # Before Python 3.13, a waiter cancelled just after notify() loses the wakeup:
                # pass it on to the next consumer (the condition is held again here).
                if self._items:
                    self._changed.notify()
                raise
            if not self._items:
                raise Closed("the handoff is closed and empty")
            return self._items.popleft()

    async def close(self) -> None:
        """No more items will come: wake every waiting consumer."""
        # Every waiting consumer must see the change, so wake them all, not just one.
        async with self._changed:
            self._closed = True
            self._changed.notify_all()
