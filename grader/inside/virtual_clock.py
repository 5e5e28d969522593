"""The event loop every exercise test runs on: looptime's virtual clock plus deadlock detection.

looptime fast-forwards the loop's clock whenever every task is waiting for a timer, so a
ten-second ``asyncio.sleep`` costs microseconds of real time and ``loop.time()`` reads
exactly 10.0 afterwards. With ``idle_timeout=0`` it also fails at once when every task is
waiting and nothing (no timer, no I/O) could ever wake them: a deadlock.

Executor jobs (``run_in_executor``, ``asyncio.to_thread``) take no virtual time: before the
clock moves on, the loop gives running jobs a short real-time grace to report back.

Real I/O takes no virtual time either. While something outside the loop could still wake it
(a thread started during the test, a running subprocess, a socket whose peer is not one of
the loop's own), the loop waits for it in short real-time slices before the virtual clock
moves on, and never declares a deadlock. Where /proc tells (Linux), the wait ends as soon
as the outside rests: no other thread of the process and no process below it ran or was
ready to run over a whole slice, so nothing will report back before time moves on. Real
work under way holds the clock until it is done: bytes the kernel is still moving between
two of the loop's sockets, a subprocess busy on a CPU (Linux). A read that only the loop
itself could answer (both ends of a connection in this loop, every task waiting) is still
a deadlock, found at once; so is one whose last outside hope (the thread, the process) has
ended.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import concurrent.futures.thread
import contextvars
import os
import selectors
import socket
import stat
import struct
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVarTuple, Unpack

import looptime

from grader.inside.detectors import describe_location, learner_line, where_tasks_wait
from grader.inside.endless import KIT_THREADS, EndlessWork

if sys.platform == "linux":
    import fcntl
    from termios import FIONREAD

DEADLOCK_ERROR = looptime.IdleTimeoutError
# Real seconds to wait for executor jobs before the virtual clock moves on. Exercise jobs
# finish in microseconds; only a job that itself waits for the loop uses the whole grace.
_EXECUTOR_GRACE = 0.02

SelectResult = list[tuple[selectors.SelectorKey, int]]
_Arguments = TypeVarTuple("_Arguments")


class VirtualClockLoop(looptime.LoopTimeEventLoop, asyncio.SelectorEventLoop):
    """A selector event loop on a virtual clock that starts at 0.0 and records loop errors."""

    def __init__(self) -> None:
        # start=0: tests read loop.time() as "seconds since the test began".
        # noop_cycles=1: one idle pass before the clock jumps lets callbacks that were just
        # scheduled run first; exercises are pure asyncio, so more passes only cost time.
        super().__init__(start=0, idle_timeout=0, noop_cycles=1)
        self.unhandled_errors: list[dict[str, Any]] = []
        self.set_exception_handler(self._record_unhandled_error)
        self.set_task_factory(_task_recording_its_creator)
        self._executor_jobs: weakref.WeakSet[asyncio.Future[Any]] = weakref.WeakSet()
        self.waiting_at: list[str] = []
        self.endless = EndlessWork(self, lambda: _where_tasks_wait(self))
        # Hashes for the tasks created next, when a test chooses them; None otherwise.
        self.task_hashes: Iterator[int] | None = None
        self._setup_real_io_tracking()
        real_select = type(self._selector).select.__get__(self._selector)
        virtual_select = self._selector.select  # looptime's replacement
        self._selector.select = self._waiting_for_executor_jobs(  # type: ignore[method-assign,assignment]
            real_select, virtual_select
        )

    def _record_unhandled_error(
        self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]
    ) -> None:
        """Keep what asyncio would have logged (e.g. "Task exception was never retrieved")."""
        self.unhandled_errors.append(context)

    # asyncio checks these only in debug mode; debug mode also records a stack for every
    # future, which the audit hook refuses when learner code made the future.
    def call_soon(
        self,
        callback: Callable[[Unpack[_Arguments]], object],
        *args: *_Arguments,
        context: contextvars.Context | None = None,
    ) -> asyncio.Handle:
        """Schedule ``callback``; from another thread it raises, as in asyncio's debug mode.

        A future set or a callback scheduled from a worker thread would neither be
        thread-safe nor wake the loop: call_soon_threadsafe is the way in from a thread.
        """
        self._check_thread()  # type: ignore[attr-defined]
        return super().call_soon(callback, *args, context=context)

    def call_at(
        self,
        when: float,
        callback: Callable[[Unpack[_Arguments]], object],
        *args: *_Arguments,
        context: contextvars.Context | None = None,
    ) -> asyncio.TimerHandle:
        """Schedule ``callback`` at ``when``; from another thread it raises (see call_soon)."""
        self._check_thread()  # type: ignore[attr-defined]
        return super().call_at(when, callback, *args, context=context)

    def run_in_executor(  # type: ignore[override]
        self, executor: concurrent.futures.Executor | None, func: Callable[..., Any], *args: Any
    ) -> asyncio.Future[Any]:
        """Run ``func`` in an executor; the clock waits for it (see _waiting_for_executor_jobs)."""
        # Bypass looptime's version, which keeps virtual and real time in step while a job
        # runs: that would make a one-second virtual wait cost a real second.
        future = asyncio.SelectorEventLoop.run_in_executor(self, executor, func, *args)
        self._executor_jobs.add(future)
        return future

    def _waiting_for_executor_jobs(
        self,
        real_select: Callable[[float | None], SelectResult],
        virtual_select: Callable[[float | None], SelectResult],
    ) -> Callable[[float | None], SelectResult]:
        def select(timeout: float | None = None) -> SelectResult:
            jobs = self._executor_jobs
            jobs_running = bool(jobs) and any(not job.done() for job in jobs)
            outside = timeout != 0 and (jobs_running or self.can_be_woken_from_outside())
            self.endless.entering_select(self.time(), timeout, jobs_running or outside)
            try:
                return passes(timeout, outside)
            finally:
                self.endless.leaving_select()

        def passes(timeout: float | None, outside: bool) -> SelectResult:
            if timeout is None and not outside:
                # Nothing is scheduled and nothing outside could wake a task: a deadlock,
                # unless one of the loop's own sockets is ready already (a connect that
                # went through, bytes that arrived from another socket of the loop).
                ready = real_select(0)
                if not ready:
                    self._declare_deadlock()
                return ready
            if outside:
                # A job, thread, process or peer that reports back wakes the selector;
                # otherwise time moves on (or, with nothing scheduled, the loop asks again:
                # it may still be woken, so this is not a deadlock yet). Real work under way
                # holds the clock, so that running a program or moving bytes costs no
                # virtual time.
                if timeout is None:
                    ready = real_select(_EXECUTOR_GRACE)
                else:
                    ready = _wait_unless_quiet(real_select, min(timeout, _EXECUTOR_GRACE))
                if ready or timeout is None or self.real_work_under_way():
                    return ready
            return virtual_select(timeout)

        return select

    # Set by the plugin: checks that nothing swapped the objects that make time pass.
    integrity_probe: Callable[[], None] | None = None

    def time(self) -> float:
        """The virtual clock; each reading also runs the integrity probe (see HotSet)."""
        if self.integrity_probe is not None:
            self.integrity_probe()
        return float(super().time())

    def _declare_deadlock(self) -> None:
        """Fail every waiting task with the deadlock error, the same way for every deadlock.

        Only plain futures receive the error: a task that awaits another task wakes when
        that one fails (looptime's own version sets it on the awaited task, which raises).
        """
        if not self.waiting_at:
            self.waiting_at = _where_tasks_wait(self)
        tasks = [task for task in asyncio.all_tasks(self) if not task.done()]
        woken = False
        for task in tasks:
            waiter = getattr(task, "_fut_waiter", None)
            if waiter is not None and not isinstance(waiter, asyncio.Task) and not waiter.done():
                # One error each: a shared one would collect every task's traceback.
                waiter.set_exception(DEADLOCK_ERROR("every task waits; nothing can wake them"))
                woken = True
        if not woken:
            for task in tasks:
                task.cancel()

    def run_forever(self) -> None:
        """Run the loop, watched for busy loops (see grader.inside.endless)."""
        self.endless.running()
        try:
            super().run_forever()
        finally:
            self.endless.stopped()

    # The signature is asyncio's own, timeout parameter included.
    async def shutdown_default_executor(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Join the default executor's threads synchronously.

        asyncio's version waits for a helper thread to call back into the loop, which the
        deadlock detector would take for an idle loop. Exercise threads finish at once, so
        joining them here is quick.
        """
        executor = self._default_executor  # type: ignore[attr-defined]
        self._executor_shutdown_called = True
        if executor is not None:
            executor.shutdown(wait=True)

    # -- real I/O: what outside the loop could still wake it --------------------------------

    def _setup_real_io_tracking(self) -> None:
        """Note the threads already running: only threads started during the test count."""
        # A plain set (the loop lives for one test): asked on every pass of the loop.
        self._threads_before = frozenset(threading.enumerate())
        # Each subprocess started during the test, with when it started (real time).
        self._subprocesses: weakref.WeakKeyDictionary[asyncio.SubprocessTransport, float] = (
            weakref.WeakKeyDictionary()
        )

    async def _make_subprocess_transport(self, *args: Any, **kwargs: Any) -> Any:
        """Start a subprocess (asyncio.create_subprocess_exec/_shell), remembering it."""
        transport = await super()._make_subprocess_transport(*args, **kwargs)  # type: ignore[misc]
        self._subprocesses[transport] = time.monotonic()
        return transport

    def can_be_woken_from_outside(self) -> bool:
        """Whether a thread, a subprocess or a socket's peer may still wake the loop."""
        return next(self.outside_wakers(), None) is not None

    def outside_wakers(self) -> Iterator[str]:
        """Describe, lazily, each thing outside the loop that may still wake it."""
        yield from self._live_threads()
        # Most tests start no subprocess: an empty weak mapping is not even iterated.
        yield from (
            f"subprocess {transport.get_pid()}"
            for transport in (list(self._subprocesses) if self._subprocesses else ())
            if transport.get_returncode() is None
        )
        yield from (peer for peer, _ in self._files_the_outside_can_answer())

    def real_work_under_way(self) -> bool:
        """Whether bytes are on their way between the loop's sockets, or a subprocess runs.

        A subprocess that is running or exiting holds the clock; one that waits for
        something does not. Only Linux tells a process's state (through /proc); elsewhere a
        subprocess holds the clock for its first _STARTUP real seconds, while it starts.
        """
        now = time.monotonic()
        return any(
            _subprocess_at_work(transport.get_pid(), now - started)
            for transport, started in list(self._subprocesses.items())
            if transport.get_returncode() is None
        ) or any(in_flight for _, in_flight in self._files_the_outside_can_answer())

    def _live_threads(self) -> Iterator[str]:
        """Threads started during the test that are still at work."""
        frames: dict[int, Any] | None = None
        for thread in threading.enumerate():
            if (
                thread in self._threads_before
                or thread in KIT_THREADS
                or thread is threading.current_thread()
                or not thread.is_alive()
            ):
                continue
            frames = sys._current_frames() if frames is None else frames
            if not _idle_pool_worker(frames.get(thread.ident or -1)):
                yield f"thread {thread.name!r}"

    def _files_the_outside_can_answer(self) -> Iterator[tuple[str, bool]]:
        """Registered file descriptors that something other than this loop may make ready.

        Each comes with whether it is bytes in flight between two of the loop's own sockets.
        """
        own = self._ssock.fileno()  # type: ignore[attr-defined]  # the self-pipe
        keys = {key.fd: key for key in self._selector.get_map().values() if key.fd != own}
        if not keys:
            return
        ours = _socket_names(set(keys) | set(self._transports))  # type: ignore[attr-defined]
        for key in keys.values():
            if (peer := _outside_peer(key, ours, keys)) is not None:
                yield f"file descriptor {key.fd} ({peer})", peer == _IN_FLIGHT


def _where_tasks_wait(loop: asyncio.AbstractEventLoop) -> list[str]:
    """Where each task was waiting, in learner code (see grader.inside.detectors)."""
    return where_tasks_wait(loop)


class LearnerTask(asyncio.Task[Any]):
    """A task that remembers the line of learner code that created it, if any.

    A test may also choose its hash (see ``grader.inside.testing.set_order_of_new_tasks``), which
    decides where the task lands in a set.
    """

    # The file and line of learner code that created the task; described only when a
    # message needs it.
    _creator: tuple[str, int] | None = None

    def __init__(self, coro: Any, *, chosen_hash: int | None = None, **kwargs: Any) -> None:
        self.chosen_hash = chosen_hash  # before Task.__init__, which files the task in a set
        super().__init__(coro, **kwargs)

    @property
    def created_at(self) -> str | None:
        """The line of learner code that created the task, if learner code did."""
        return describe_location(*self._creator) if self._creator else None

    def __hash__(self) -> int:
        return object.__hash__(self) if self.chosen_hash is None else self.chosen_hash


def _task_recording_its_creator(
    loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any
) -> asyncio.Task[Any]:
    hashes = getattr(loop, "task_hashes", None)
    chosen = next(hashes) if hashes is not None else None
    task = LearnerTask(coro, loop=loop, chosen_hash=chosen, **kwargs)
    task._creator = learner_line(sys._getframe(1))
    return task


# -- real I/O helpers ------------------------------------------------------------------------

_PEER_CREDENTIALS = struct.Struct("3i")  # struct ucred: pid, uid, gid
_IN_FLIGHT = "bytes in flight to a reader in this loop"
_QUEUE_LENGTH = struct.Struct("i")
_SIOCOUTQNSD = 0x894B  # Linux: bytes in a socket's send queue not sent yet


# Process states in /proc/<pid>/stat of a process that needs no one to go on: running,
# in uninterruptible I/O (reading its own program from disk, say), or exited (a zombie
# whose end the loop is about to hear of).
_AT_WORK = frozenset("RDZ")


# Real seconds a subprocess is taken to be starting up where its state cannot be read.
_STARTUP = 0.5


def _subprocess_at_work(pid: int, age: float) -> bool:
    """Whether subprocess ``pid``, started ``age`` real seconds ago, is at work."""
    state = _process_state(pid)
    return state in _AT_WORK if state else age < _STARTUP


def _process_state(pid: int) -> str:
    """The one-letter state of process ``pid`` on Linux, or "" where that is not known."""
    try:
        return _state_in(f"/proc/{pid}")
    except OSError:
        return ""


def _state_in(folder: str) -> str:
    """The one-letter state in a /proc process or thread folder; "" when it has ended."""
    # "pid (command) state ...": the command may hold spaces and parentheses.
    fields = _read(f"{folder}/stat").rpartition(")")[2].split(maxsplit=1)
    return fields[0] if fields else ""


# Real seconds between two looks at the outside while it has the grace. A thread the loop
# wakes is ready to run (state R) from the moment the loop gives up the interpreter lock, so
# a look sees it at work however short the slice; the slice only sets how often to look.
# The loop sleeps it (the selector counts in whole milliseconds), then polls the selector.
_QUIET_SLICE = 0.0002

# What each thread of this process and each process below it has done: (state, nanoseconds
# on a CPU, times scheduled), by its /proc folder.
Activity = dict[str, tuple[str, int, int]]


def _wait_unless_quiet(
    real_select: Callable[[float | None], SelectResult], grace: float
) -> SelectResult:
    """Wait up to ``grace`` real seconds for the outside to wake the loop; less when it rests.

    The outside (this process's other threads and every process below it) rests when, over
    one whole slice of waiting, none of it ran or was ready to run: each thread blocks on
    something (a lock, a future the loop has yet to complete, a sleep), not on the loop's
    interpreter lock, which the loop gave up while it waited. Then nothing will report back
    before time moves on, and waiting out the grace would only cost real time. Where /proc
    cannot tell (not Linux), the whole grace is waited, as before.
    """
    deadline = time.monotonic() + grace
    before = _outside_activity()
    while True:
        left = deadline - time.monotonic()
        if before is None or left <= 0:
            return real_select(max(left, 0))
        _RAW_SLEEP(min(left, _QUIET_SLICE))
        if ready := real_select(0):
            return ready
        after = _outside_activity()
        if after is not None and _rests(before, after):
            return ready
        before = after


def _rests(before: Activity, after: Activity) -> bool:
    """Whether nothing ran between the two looks, and nothing is ready to run now."""
    return before.keys() == after.keys() and all(
        state not in _AT_WORK and (runtime, scheduled) == before[where][1:]
        for where, (state, runtime, scheduled) in after.items()
    )


def _outside_activity() -> Activity | None:
    """What the loop's outside is doing (see Activity), or None where /proc does not say."""
    if sys.platform != "linux":
        return None
    own = {threading.get_native_id()} | {t.native_id for t in KIT_THREADS if t.native_id}
    activity: Activity = {}
    processes, seen = ["self"], set[str]()
    try:
        while processes:
            pid = processes.pop()
            for tid in _listing(f"/proc/{pid}/task"):
                folder = f"/proc/{pid}/task/{tid}"
                outside = pid != "self" or int(tid) not in own
                if outside and (found := _task_activity(folder)) is not None:
                    activity[folder] = found
                children = set(_read(f"{folder}/children").split()) - seen
                seen |= children
                processes += children
    except (OSError, ValueError):
        return None
    finally:
        _PROC_FILES.close_unread()
    return activity


def _task_activity(folder: str) -> tuple[str, int, int] | None:
    """A thread's state, CPU nanoseconds and times scheduled; None when it has ended."""
    runtime, _, scheduled = _read(f"{folder}/schedstat").split() or ("", "", "")
    state = _state_in(folder)
    if not runtime or not state:
        return None
    return state, int(runtime), int(scheduled)


# Captured at import: a test may put a slow disk in front of open() and os.listdir()
# (files_off_the_loop), and the kit guards time.sleep on the loop's thread.
_RAW_OPEN, _RAW_PREAD, _RAW_CLOSE, _RAW_LISTDIR = os.open, os.pread, os.close, os.listdir
_RAW_SLEEP = time.sleep


class _ProcFiles:
    """/proc files kept open between looks: reading one again is one ``pread``, not three calls.

    A file of a thread or process that has ended reads as empty and is closed. Each full
    look (see _outside_activity) closes the files not read since the look before, so the
    open ones are those of threads and processes alive now. Loops on several threads share
    it, one read at a time.
    """

    def __init__(self) -> None:
        self._open: dict[str, int] = {}
        self._read_since_pruning: set[str] = set()
        self._lock = threading.Lock()

    def read(self, path: str) -> str:
        """The text of a /proc file; empty when what it describes has ended."""
        with self._lock:
            self._read_since_pruning.add(path)
            fd = self._open.get(path)
            if fd is None:
                try:
                    fd = self._open[path] = _RAW_OPEN(path, os.O_RDONLY)
                except (FileNotFoundError, ProcessLookupError):
                    return ""
            try:
                return _RAW_PREAD(fd, 4096, 0).decode("ascii", errors="replace")
            except ProcessLookupError:
                _RAW_CLOSE(self._open.pop(path))
                return ""

    def close_unread(self) -> None:
        """Close every file not read since the last call."""
        with self._lock:
            for path in self._open.keys() - self._read_since_pruning:
                _RAW_CLOSE(self._open.pop(path))
            self._read_since_pruning.clear()


_PROC_FILES = _ProcFiles()
_read = _PROC_FILES.read


def _listing(folder: str) -> list[str]:
    """The entries of a /proc folder; none when what it describes has ended."""
    try:
        return _RAW_LISTDIR(folder)
    except FileNotFoundError:
        return []


def _idle_pool_worker(frame: Any) -> bool:
    """Whether a thread is a ThreadPoolExecutor worker waiting for its next job.

    Such a worker stays alive after its job, but reports nothing more; a worker running a
    job has that job's frames above ``_worker``.
    """
    return frame is not None and frame.f_code is concurrent.futures.thread._worker.__code__


def _borrowed_socket(fd: int) -> socket.socket | None:
    """A socket object for ``fd``, or None if it is not a socket. Call ``detach()`` after."""
    try:
        if not stat.S_ISSOCK(os.fstat(fd).st_mode):
            return None
        return socket.socket(fileno=fd)
    except OSError:
        return None


def _socket_names(fds: set[int]) -> dict[tuple[Any, Any], int]:
    """``(local address, peer address or None)`` of each socket among ``fds``, with its fd.

    Both addresses are needed: a server's connections all share the listener's address.
    """
    names = {}
    for fd in fds:
        sock = _borrowed_socket(fd)
        if sock is None:
            continue
        try:
            local = sock.getsockname()
            try:
                names[local, sock.getpeername()] = fd
            except OSError:
                names[local, None] = fd
        except OSError:
            pass
        finally:
            sock.detach()
    return names


def _outside_peer(
    key: selectors.SelectorKey,
    ours: dict[tuple[Any, Any], int],
    keys: Mapping[int, selectors.SelectorKey],
) -> str | None:
    """Who outside the loop could make ``key``'s file ready, or None if nobody could.

    ``ours`` maps the loop's sockets' addresses to their file descriptors (see
    ``_socket_names``), ``keys`` holds the loop's registrations.
    """
    sock = _borrowed_socket(key.fd)
    if sock is None:
        # A pipe or a device: its other end belongs to a subprocess or to the outside world.
        return "not a socket"
    try:
        try:
            peer = sock.getpeername()
        except OSError:
            # Unconnected: a listening socket's clients would be threads or processes,
            # counted on their own; a connect still under way may yet succeed.
            return "connecting" if key.events & selectors.EVENT_WRITE else None
        if sock.family == getattr(socket, "AF_UNIX", None) and not peer:
            # An unnamed Unix socket (socket.socketpair()): ask the kernel whose it is. If it
            # is this process's, only one of its threads could answer, and those count.
            return None if _peer_pid(sock) == os.getpid() else "an unnamed peer"
        if not any(local == peer for local, _ in ours):
            return f"connected to {peer!r}"
        peer_fd = ours.get((peer, sock.getsockname()))
        peer_key = keys.get(peer_fd) if peer_fd is not None else None
        if peer_key is None or not peer_key.events & selectors.EVENT_READ:
            return None
        return _IN_FLIGHT if _bytes_on_the_way(key, peer_key) else None
    finally:
        sock.detach()


def _bytes_on_the_way(key: selectors.SelectorKey, reader: selectors.SelectorKey) -> bool:
    """Whether the kernel still has bytes to move from ``key``'s socket to ``reader``'s.

    The peer waits to read and has nothing to read yet. On Linux the bytes in the socket's
    send queue not sent yet tell (bytes sent but not yet acknowledged do not: the peer may
    have them already, and delay its acknowledgement); elsewhere, only a socket waiting for
    room to write shows it.
    """
    if sys.platform != "linux":
        return bool(key.events & selectors.EVENT_WRITE)
    unsent, unread = _queue_length(key.fd, _SIOCOUTQNSD), _queue_length(reader.fd, FIONREAD)
    return unsent > 0 and unread == 0


def _queue_length(fd: int, request: int) -> int:
    """Bytes in a socket's send queue (_SIOCOUTQNSD) or receive queue (FIONREAD); 0 if unknown."""
    try:
        answer = fcntl.ioctl(fd, request, bytes(_QUEUE_LENGTH.size))
    except OSError:
        return 0
    length: int = _QUEUE_LENGTH.unpack(answer)[0]
    return length


def _peer_pid(sock: socket.socket) -> int | None:
    """The process that holds the other end of a Unix socket, where the platform tells."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    try:
        credentials = sock.getsockopt(socket.SOL_SOCKET, option, _PEER_CREDENTIALS.size)
    except OSError:
        return None
    pid: int = _PEER_CREDENTIALS.unpack(credentials)[0]
    return pid
