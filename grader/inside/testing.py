"""Helpers for exercise tests: the virtual clock and a timeline of what ran when.

A test hands an exercise fakes that record on a :class:`Timeline`; when a concurrency
assertion fails, ``timeline.explain(...)`` draws what happened on the event loop's clock
so the learner can see, for example, that the downloads ran one after another.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import linecache
import socket
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Iterator,
)
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field, replace
from types import FrameType
from typing import Any, Generic, Protocol, TypeVar

from grader.inside.detectors import awaited_frames, describe_location, is_learner_file

_CHART_WIDTH = 40
_CHART_ROWS = 24  # rows of spans a chart shows at most


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
        """A text Gantt chart of the spans on the event loop's clock.

        Spans next to each other that ran over the very same time and ended the same way
        share one row ("download 0 and 39 more"), and a chart of more than
        _CHART_ROWS rows shows its first and last rows only: a hundred downloads make a
        chart of one row when they run together and of a screenful when they do not.
        """
        if not self.spans:
            return "  (nothing ran)"
        # Spans still running are drawn up to now, when the loop is running.
        now = _now_if_running()
        finish = max((s.end if s.end is not None else max(s.start, now)) for s in self.spans)
        scale = _CHART_WIDTH / finish if finish > 0 else 0.0
        rows: list[tuple[str, str]] = []
        for _, alike in itertools.groupby(self.spans, key=lambda s: (s.start, s.end, s.outcome)):
            first, *others = alike
            label = f"{first.label} and {len(others)} more" if others else first.label
            rows.append((label, _bar(first, scale, now)))
        if len(rows) > _CHART_ROWS:
            head = _CHART_ROWS * 3 // 4  # then one row saying how many are left out
            tail = _CHART_ROWS - 1 - head
            left_out = len(rows) - head - tail
            rows = [*rows[:head], (f"({left_out} rows more)", "..."), *rows[-tail:]]
        name_width = min(max(len(label) for label, _ in rows), 24)
        if finish == 0:
            axis = "everything at t = 0"
        else:
            axis = f"{0:<{_CHART_WIDTH // 2}g}{finish:>{_CHART_WIDTH // 2 + 1}g} s"
        lines = [f"  {'t =':<{name_width}}  {axis}"]
        lines += [f"  {label[:name_width]:<{name_width}}  {bar}" for label, bar in rows]
        return "\n".join(lines)

    def explain(self, what_happened: str, nudge: str) -> str:
        """A failure message: what happened, the chart, then a nudge toward the concept."""
        return f"{what_happened}\n{self.chart()}\n{nudge}"


def _bar(span: Span, scale: float, now: float) -> str:
    """A span's row of a chart without its label: where it starts, how long, how it ended."""
    start_col = round(span.start * scale)
    end = span.end if span.end is not None else max(span.start, now)
    bar = "#" * max(1, round(end * scale) - start_col)
    suffix = "" if span.outcome == "done" else f"  ({span.outcome})"
    return f"{' ' * start_col}{bar}{suffix}"


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


# -- cancelling a task at each of its suspension points ----------------------------------------

T = TypeVar("T")
R = TypeVar("R")
# Virtual seconds a task gets to stop after each cancel when a run is cleaned up.
_CLEANUP_GRACE = 60.0


class Starter(Protocol):
    """What a scenario is handed: start the learner's coroutine as the task under test."""

    def __call__(self, coro: Coroutine[Any, Any, R], *, name: str | None = None) -> asyncio.Task[R]:
        """Wrap ``coro`` so its suspensions are counted, and start it as a task."""
        ...


@dataclass
class CancelledRun(Generic[T]):
    """One run of a scenario, with the task under test cancelled at one suspension point.

    ``point`` 0 is "before it started" (cancelled before its first step); ``point`` k is
    its k-th suspension, of the ``of`` suspensions it made in the uncancelled run.
    ``began`` is the loop time when this run began (runs share the test's loop, one after
    another); ``cancelled_at`` is when the cancellation was delivered, in seconds since
    ``began`` (0 for point 0), or None when this run never reached that suspension
    (timing-dependent code can suspend less often).
    ``ended`` is :func:`task_outcome` of the task when the scenario returned, and ``state``
    is a deep copy of what the scenario returned, taken at that moment.
    """

    point: int
    of: int
    began: float
    task: asyncio.Task[Any]
    state: T
    ended: str
    cancelled_at: float | None
    where: str | None
    woken: bool = False

    @property
    def ended_cancelled(self) -> bool:
        """Whether the task had ended cancelled when the scenario returned."""
        return self.ended == "ended cancelled"

    def describe(self) -> str:
        """Where the task was cancelled, in words for a failure message."""
        if self.point == 0:
            return "cancelled before it started"
        place = f"its {_ordinal(self.point)} suspension (of {self.of})"
        if self.cancelled_at is None:
            when = f"just as what it waited for at {place} came" if self.woken else f"at {place}"
            return f"to be cancelled {when}, which this run never reached"
        at = f" at {self.where}" if self.where else ""
        if self.woken:
            return (
                f"cancelled at t={self.cancelled_at:g} s of its run, just as what it waited "
                f"for at {place}{at} came, before it could resume"
            )
        return f"cancelled at t={self.cancelled_at:g} s of its run, at {place}{at}"


async def cancel_at_each_suspension(
    scenario: Callable[[Starter], Awaitable[T]], *, most: int = 100, when_woken: bool = True
) -> list[CancelledRun[T]]:
    """Run ``scenario`` again and again, cancelling its task at each suspension in turn.

    ``scenario(start)`` builds fresh fakes, starts the learner's coroutine with
    ``task = start(coro)`` (exactly once), drives it (typically ``await asyncio.wait({task},
    timeout=...)``) and returns the state the test will check: plain values, copied as the
    scenario returns (see below). A first run cancels nothing
    and counts how often the task suspended (gave control back to the loop) before the
    scenario returned: n times. Then the scenario runs n + 1 more times; run k cancels the
    task just as it suspends for the k-th time, so the cancellation lands on that ``await``,
    exactly as a ``task.cancel()`` from another task would while it waits there; run 0
    cancels it before its first step. The returned runs are in that order; assert the
    promised cleanup and state on each, naming ``run.describe()`` in the message.

    Margins, honestly: only the started coroutine's own suspensions are counted. Tasks it
    creates are not, so their work is reached only where the started task waits for it.
    When a run suspends less often than the counting run (timing-dependent code), its
    later points are never reached and their runs say so (``cancelled_at`` is None). With
    more than ``most`` (at least 2) suspensions, ``most`` points spread evenly from the first to the
    last are used, so a learner's busy polling cannot make the test endless. A task still
    running when its scenario returns is cancelled (a few times, with virtual time to
    stop) before the next run; one that ignores every cancellation is left to the kit's
    leftover-task detector, which names it at the end of the test.

    Each run's state is copied the moment its scenario returns, before any other run: the
    runs share one loop, so cleanup a cancelled task handed to a task of its own would
    otherwise finish during later runs and look as if it had been done in time.

    Unless ``when_woken`` is False, each of those suspensions that waits on a future (a lock, an
    event, a queue, another task: anything but a bare ``sleep(0)``) gets one more run, after
    the others: the task is cancelled the moment that future completes, woken but not yet
    resumed, as when another task cancels it in the same loop iteration as whatever woke
    it. What woke it (an item, a permit, a lock) must then not be lost with it. Those runs
    have ``woken`` set; one whose future never completed (a wait the scenario ended by
    cancelling it) cancelled nothing and is left out.
    """
    if most < 2:
        raise ValueError("most must be at least 2: the first and the last suspension")
    counting, waits = await _run_once(scenario, cancel_at=None)
    total = counting.of
    points = list(range(total + 1))
    if len(points) > most:
        points = sorted({round(i * total / (most - 1)) for i in range(most)})
    runs: list[CancelledRun[T]] = []
    for point in points:
        run, _ = await _run_once(scenario, cancel_at=point)
        runs.append(replace(run, of=total))
    if when_woken:
        for point in points:
            if point in waits:
                run, _ = await _run_once(scenario, cancel_at=point, when_woken=True)
                if run.cancelled_at is not None:  # else nothing woke it: it was not cancelled
                    runs.append(replace(run, of=total))
    return runs


async def _run_once(
    scenario: Callable[[Starter], Awaitable[T]], cancel_at: int | None, when_woken: bool = False
) -> tuple[CancelledRun[T], frozenset[int]]:
    """One run of ``scenario``, cancelling its task at suspension ``cancel_at`` (if not None).

    With ``when_woken``, the cancellation comes when what that suspension waits on
    completes. Returns the run (``of`` is how many times its task suspended before the
    scenario returned) and which of those suspensions waited on a future.
    """
    began = asyncio.get_running_loop().time()
    started: list[asyncio.Task[Any]] = []
    counted: list[_CountedCoroutine[Any]] = []

    def start(coro: Coroutine[Any, Any, R], *, name: str | None = None) -> asyncio.Task[R]:
        if started:
            coro.close()  # never to run: closed, so it is not reported as never awaited
            raise RuntimeError("a cancel_at_each_suspension scenario starts exactly one task")
        wrapper = _CountedCoroutine(coro, cancel_at, when_woken)
        task = asyncio.get_running_loop().create_task(wrapper, name=name)
        wrapper.task = task
        started.append(task)
        counted.append(wrapper)
        if cancel_at == 0:
            wrapper.cancelled_at = asyncio.get_running_loop().time()
            task.cancel()
        return task

    returned = await scenario(start)
    if not started:
        raise RuntimeError("the scenario never called start(...) with the learner's coroutine")
    try:
        state = copy.deepcopy(returned)
    except (TypeError, copy.Error) as error:
        raise RuntimeError(
            "a cancel_at_each_suspension scenario returns plain values (lists, strings, "
            f"numbers, dataclasses of them), copied as it returns; this one cannot be: {error}"
        ) from error
    (task,), (wrapper,) = started, counted
    suspensions = wrapper.suspensions  # what the cleanup below does is not the scenario's
    ended = task_outcome(task)
    for _ in range(3):
        if task.done():
            break
        task.cancel()
        await asyncio.wait({task}, timeout=_CLEANUP_GRACE)
    if task.done() and not task.cancelled():
        task.exception()  # retrieved: the test asserts on `ended` instead
    cancelled_at = None if wrapper.cancelled_at is None else wrapper.cancelled_at - began
    run = CancelledRun(
        cancel_at or 0, suspensions, began, task, state, ended, cancelled_at, wrapper.where,
        when_woken,
    )  # fmt: skip
    return run, frozenset(n for n in wrapper.waits_on_a_future if n <= suspensions)


class _CountedCoroutine(Coroutine[Any, Any, R]):
    """Delegates to a coroutine, counting the times it yields to the loop.

    With ``cancel_at`` set, it cancels its task just after that many yields: the task has
    not yet seen what the coroutine waits on, so asyncio cancels that (Task.__step checks
    for a pending cancel right after each step) and throws CancelledError in at that await.
    """

    def __init__(
        self, coro: Coroutine[Any, Any, R], cancel_at: int | None, when_woken: bool = False
    ) -> None:
        self._coro = coro
        self._cancel_at = cancel_at
        self._when_woken = when_woken
        self.task: asyncio.Task[Any] | None = None
        self.suspensions = 0
        self.waits_on_a_future: list[int] = []
        self.cancelled_at: float | None = None
        self.where: str | None = None
        # The detectors name a leftover task by its coroutine's name.
        self.__qualname__ = str(getattr(coro, "__qualname__", coro))

    def send(self, value: Any) -> Any:
        """Resume the coroutine with ``value``."""
        return self._suspended(self._coro.send(value))

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        """Raise an exception inside the coroutine at its current await."""
        if val is None and tb is None:
            return self._suspended(self._coro.throw(typ))
        return self._suspended(self._coro.throw(typ, val, tb))

    def close(self) -> None:
        """Close the coroutine (GeneratorExit at its await)."""
        self._coro.close()

    def __await__(self) -> Generator[Any, Any, R]:
        return (yield from self)  # type: ignore[func-returns-value,return-value]

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    # What asyncio and the kit's detectors read to say where a task is waiting.
    @property
    def cr_frame(self) -> FrameType | None:
        """The wrapped coroutine's frame."""
        return self._coro.cr_frame  # type: ignore[attr-defined,no-any-return]

    @property
    def cr_await(self) -> Any:
        """What the wrapped coroutine is awaiting."""
        return self._coro.cr_await  # type: ignore[attr-defined]

    @property
    def cr_running(self) -> bool:
        """Whether the wrapped coroutine is running."""
        return bool(self._coro.cr_running)  # type: ignore[attr-defined]

    def _suspended(self, yielded: Any) -> Any:
        self.suspensions += 1
        waits_on_a_future = isinstance(yielded, asyncio.Future)
        if waits_on_a_future:
            self.waits_on_a_future.append(self.suspensions)
        if self.suspensions == self._cancel_at and self.task is not None:
            self.where = _waiting_at(self._coro)
            if not self._when_woken:
                self.cancelled_at = asyncio.get_running_loop().time()
                self.task.cancel()
            elif waits_on_a_future:
                # Added before the task's own wake-up callback, so it runs first: the
                # task is woken (its future done) but has not resumed when it is cancelled.
                yielded.add_done_callback(self._cancel_as_woken)
        return yielded

    def _cancel_as_woken(self, future: asyncio.Future[Any]) -> None:
        if future.cancelled() or self.task is None or self.task.done():
            return  # not woken by what it waited for: this run does not reach its point
        self.cancelled_at = asyncio.get_running_loop().time()
        self.task.cancel()


def _waiting_at(coro: Any) -> str | None:
    """The innermost learner line on the chain of awaits below ``coro``, else its own line."""
    frames = awaited_frames(coro)
    learner = [frame for frame in frames if is_learner_file(frame.f_code.co_filename)]
    chosen = learner[-1] if learner else frames[0] if frames else None
    if chosen is None:
        return None
    line = linecache.getline(chosen.f_code.co_filename, chosen.f_lineno)
    return describe_location(chosen.f_code.co_filename, chosen.f_lineno, line)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
