"""Keep the newest frames when the uploader falls behind.

A camera hands frames to an uploader through a `FrameBuffer` that holds at most `capacity`
frames (at least 1):

- `buffer.offer(frame)` never waits, because a live camera cannot pause. When the buffer
  is full, it throws the oldest frame away to make room and returns that frame; otherwise
  it returns None.
- `await buffer.put(frame)` is for recordings that must not lose a frame: when the buffer
  is full, it waits until there is room. That is back-pressure: the producer is slowed to
  the uploader's pace instead of the buffer growing without end.
- `await buffer.get()` waits for a frame and returns the oldest.
- `buffer.drain()` never waits: it takes every frame in the buffer right now and returns
  them, oldest first (an empty list when there are none).

A producer cancelled while it waits in `put()` adds nothing. Build it on one
`asyncio.Queue` with a `maxsize`; its `put_nowait` and `get_nowait` never wait, and
raise `asyncio.QueueFull` and `asyncio.QueueEmpty` instead.
"""

import asyncio


class FrameBuffer:
    """At most `capacity` frames between a camera and an uploader, oldest first."""

    def __init__(self, capacity: int) -> None:
        # maxsize is what makes put() wait and put_nowait() raise QueueFull when full.
        self._frames: asyncio.Queue[str] = asyncio.Queue(maxsize=capacity)

    def offer(self, frame: str) -> str | None:
        """Add `frame` without waiting; when full, drop the oldest frame and return it."""
        # A live view wants the latest frames, so the oldest one makes room for the new.
        try:
            self._frames.put_nowait(frame)
        except asyncio.QueueFull:
            oldest = self._frames.get_nowait()
            self._frames.put_nowait(frame)
            return oldest
        return None

    async def put(self, frame: str) -> None:
        """Add `frame`, first waiting for room if the buffer is full."""
        await self._frames.put(frame)

    async def get(self) -> str:
        """Wait for a frame and return the oldest."""
        return await self._frames.get()

    def drain(self) -> list[str]:
        """Take every frame in the buffer now, oldest first, without waiting."""
        # get_nowait raises QueueEmpty instead of waiting, which is where the drain stops.
        frames: list[str] = []
        while True:
            try:
                frames.append(self._frames.get_nowait())
            except asyncio.QueueEmpty:
                return frames
