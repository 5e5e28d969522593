"""Helpers for exercise tests: the virtual clock and a timeline of what ran when.

A test hands an exercise fakes that record on a :class:`Timeline`; when a concurrency
assertion fails, ``timeline.explain(...)`` draws what happened on the event loop's clock
so the learner can see, for example, that the downloads ran one after another.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

_CHART_WIDTH = 40


class Clock:
    """Reads the running event loop's virtual clock, which starts at 0.0 in every test."""

    @property
    def now(self) -> float:
        """Seconds of event-loop time since the test began."""
        return asyncio.get_running_loop().time()


@dataclass
class Span:
    """One call on the timeline: when it started and, once it has, when it ended."""

    label: str
    start: float
    end: float | None = None
    outcome: str = "running"


@dataclass
class Timeline:
    """Records when labelled pieces of work start and end on the event loop's clock."""

    spans: list[Span] = field(default_factory=list)

    @asynccontextmanager
    async def track(self, label: str) -> AsyncIterator[Span]:
        """Record the body of an ``async with`` block as one span called ``label``."""
        span = Span(label, _now())
        self.spans.append(span)
        try:
            yield span
        except asyncio.CancelledError:
            span.outcome = "cancelled"
            raise
        except BaseException:
            span.outcome = "raised"
            raise
        else:
            span.outcome = "done"
        finally:
            span.end = _now()

    def labels(self) -> list[str]:
        """Labels in the order the work started."""
        return [span.label for span in self.spans]

    def most_at_once(self) -> int:
        """The largest number of spans that were running at the same moment."""
        return self.busiest_moment()[1]

    def busiest_moment(self) -> tuple[float, int]:
        """When the most spans were running at once, and how many.

        Back-to-back work (one span ending exactly when the next starts) is not overlap.
        """
        best_time, best = 0.0, 0
        for span in self.spans:
            running = sum(
                1
                for other in self.spans
                if other.start <= span.start and (other.end is None or other.end > span.start)
            )
            if running > best:
                best_time, best = span.start, running
        return best_time, best

    def chart(self) -> str:
        """A text Gantt chart of the spans on the event loop's clock."""
        if not self.spans:
            return "  (nothing ran)"
        # Spans still running are drawn up to now, when the loop is running.
        now = _now_if_running()
        finish = max((s.end if s.end is not None else max(s.start, now)) for s in self.spans)
        scale = _CHART_WIDTH / finish if finish > 0 else 0.0
        name_width = min(max(len(span.label) for span in self.spans), 24)
        if finish == 0:
            axis = "everything at t = 0"
        else:
            axis = f"{0:<{_CHART_WIDTH // 2}g}{finish:>{_CHART_WIDTH // 2 + 1}g} s"
        lines = [f"  {'t =':<{name_width}}  {axis}"]
        for span in self.spans:
            start_col = round(span.start * scale)
            end = span.end if span.end is not None else max(span.start, now)
            bar = "#" * max(1, round(end * scale) - start_col)
            suffix = "" if span.outcome == "done" else f"  ({span.outcome})"
            label = span.label[:name_width]
            lines.append(f"  {label:<{name_width}}  {' ' * start_col}{bar}{suffix}")
        return "\n".join(lines)

    def explain(self, what_happened: str, nudge: str) -> str:
        """A failure message: what happened, the chart, then a nudge toward the concept."""
        return f"{what_happened}\n{self.chart()}\n{nudge}"


class FakeNetwork:
    """Serves "<url>!" after a per-url delay of virtual time, recording each download.

    Urls missing from ``delays`` take one second; the url named ``broken`` fails with
    ConnectionError when its delay is over.
    """

    def __init__(self, delays: dict[str, float] | None = None, broken: str | None = None) -> None:
        self.delays = delays or {}
        self.broken = broken
        self.timeline = Timeline()

    async def download(self, url: str) -> str:
        """Fetch ``url`` from the fake network."""
        async with self.timeline.track(f"download {url}"):
            await asyncio.sleep(self.delays.get(url, 1))
            if url == self.broken:
                raise ConnectionError(f"{url} is unreachable")
            return f"{url}!"


def task_outcome(task: asyncio.Task[Any]) -> str:
    """How a task ended (or that it has not), in words for a failure message."""
    if not task.done():
        return "was still running"
    if task.cancelled():
        return "ended cancelled"
    if task.exception() is not None:
        return f"raised {task.exception()!r}"
    return f"returned {task.result()!r}"


@contextmanager
def set_order_of_new_tasks(order: str) -> Iterator[None]:
    """Make a set of the tasks created in this block list them in creation order, or reversed.

    A set lists its items in the order of their hashes, and a task's hash normally comes
    from its memory address, which changes from run to run: an answer that reads results
    out of a set (such as asyncio.wait's `done`) would be right or wrong by luck. With the
    hashes chosen, it is wrong every time under one of the two orders (``"creation"`` or
    ``"reversed"``).
    """
    loop = asyncio.get_running_loop()
    # A small set keeps items in eight slots, at hash % 8, and lists them slot by slot:
    # hashes 0, 1, ... list tasks as they were created, and 7, 6, ... the other way round.
    slots = range(8) if order == "creation" else range(7, -1, -1)
    previous = getattr(loop, "task_hashes", None)
    loop.task_hashes = itertools.cycle(slots)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        loop.task_hashes = previous  # type: ignore[attr-defined]


def _now() -> float:
    return asyncio.get_running_loop().time()


def _now_if_running() -> float:
    try:
        return _now()
    except RuntimeError:
        return 0.0


# -- streams: real connections on the loopback interface -----------------------------------
#
# Both ends of these connections belong to the test's own event loop, so a read that nobody
# will answer is still reported as a deadlock, and the bytes cost no virtual time: only the
# peer's asyncio.sleep moves the clock.


@dataclass
class Stream:
    """One end of a connection: what it reads and what it writes."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    async def close(self) -> None:
        """Hang up, ignoring a peer that has already gone."""
        self.writer.close()
        with suppress(ConnectionError):
            await self.writer.wait_closed()


@asynccontextmanager
async def loopback(
    *, limit: int = 2**16, kernel_buffer: int | None = None
) -> AsyncIterator[tuple[Stream, Stream]]:
    """A real TCP connection on 127.0.0.1 (a port the system picks): ``(near, far)``.

    Learner code gets ``near``; the test plays the other side on ``far``. ``limit`` is the
    far side's read buffer (asyncio pauses reading from the socket once that much waits).
    ``kernel_buffer`` sets near's send and far's receive buffer in the kernel, before the
    connection is made (the kernel cannot shrink a window it has already offered). Both
    ends are closed when the block ends.
    """
    accepted: asyncio.Future[Stream] = asyncio.get_running_loop().create_future()

    def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.set_result(Stream(reader, writer))

    listener = socket.socket()
    client = socket.socket()
    if kernel_buffer is not None:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, kernel_buffer)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, kernel_buffer)
    listener.bind(("127.0.0.1", 0))
    server = await asyncio.start_server(accept, sock=listener, limit=limit)
    client.setblocking(False)
    await asyncio.get_running_loop().sock_connect(client, listener.getsockname())
    near = Stream(*await asyncio.open_connection(sock=client))
    far = await accepted
    server.close()
    try:
        yield near, far
    finally:
        await near.close()
        await far.close()
        await server.wait_closed()


async def send_script(
    writer: asyncio.StreamWriter, script: list[tuple[float, bytes]], *, end: bool = True
) -> None:
    """Write each ``(delay, data)`` of ``script`` after its delay of virtual time.

    Then, with ``end``, end this side of the stream (``write_eof``): the peer reads to the
    end of what was sent, and can still answer.
    """
    for delay, data in script:
        await asyncio.sleep(delay)
        writer.write(data)
        await writer.drain()
    if end:
        writer.write_eof()
