"""Wrong: put() adds the item before checking for close.

A put() after close() raises Closed, but its item is still handed to the next get().
"""

import asyncio
from collections import deque


class Closed(Exception):
    pass


class Handoff:
    def __init__(self) -> None:
        self._items: deque[str] = deque()
        self._closed = False
        self._changed = asyncio.Condition()

    async def put(self, item: str) -> None:
        async with self._changed:
            self._items.append(item)
            self._changed.notify()
            if self._closed:
                raise Closed("put() after close()")

    async def get(self) -> str:
        async with self._changed:
            await self._changed.wait_for(lambda: self._items or self._closed)
            if not self._items:
                raise Closed("closed")
            return self._items.popleft()

    async def close(self) -> None:
        async with self._changed:
            self._closed = True
            self._changed.notify_all()
