"""Wrong: put() waits at most 30 s for room, then raises TimeoutError."""

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
        await asyncio.wait_for(self._frames.put(frame), 30)

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
