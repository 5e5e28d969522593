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
        # TODO: add the item and notify under the condition.
        raise NotImplementedError

    async def get(self) -> str:
        """Wait until there is an item and return the oldest; raise Closed if none will come."""
        # TODO: wait on the condition until there is an item or the handoff is closed.
        raise NotImplementedError

    async def close(self) -> None:
        """No more items will come: wake every waiting consumer."""
        # TODO: mark the handoff closed and wake every consumer waiting in get().
        raise NotImplementedError
