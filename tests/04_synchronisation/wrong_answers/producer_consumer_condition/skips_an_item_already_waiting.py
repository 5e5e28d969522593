"""Wrong: skips an item equal to one already waiting, so the same item put twice comes out once."""

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
        async with self._changed:
            if self._closed:
                raise Closed("put() after close()")
            # An item already waiting will be handed out anyway.
            if item not in self._items:
                self._items.append(item)
                self._changed.notify()

    async def get(self) -> str:
        """Wait until there is an item and return the oldest; raise Closed if none will come."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._items or self._closed)
            if not self._items:
                raise Closed("the handoff is closed and empty")
            return self._items.popleft()

    async def close(self) -> None:
        """No more items will come: wake every waiting consumer."""
        async with self._changed:
            self._closed = True
            self._changed.notify_all()
