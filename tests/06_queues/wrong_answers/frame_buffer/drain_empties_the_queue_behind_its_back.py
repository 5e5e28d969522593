"""Wrong: drain() clears the queue's internal deque, so a producer waiting for room sleeps on."""

import asyncio


class FrameBuffer:
    """At most `capacity` frames between a camera and an uploader, oldest first."""

    def __init__(self, capacity: int) -> None:
        self._frames: asyncio.Queue[str] = asyncio.Queue(maxsize=capacity)

    def offer(self, frame: str) -> str | None:
        """Add `frame` without waiting; when full, drop the oldest frame and return it."""
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
        # One step instead of a loop: copy the frames out and empty the deque underneath.
        frames = list(self._frames._queue)  # type: ignore[attr-defined]
        self._frames._queue.clear()  # type: ignore[attr-defined]
        return frames
