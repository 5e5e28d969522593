"""Asyncio mistake detectors: each turns a silent asyncio bug into a learner-worded failure.

- a blocking call (``time.sleep`` and friends) made on the event loop's thread;
- a coroutine that was created but never awaited;
- a task or future whose exception nobody retrieved;
- tasks still pending when the test finished.
"""

from __future__ import annotations

import ast
import asyncio
import concurrent.futures
import contextlib
import functools
import gc
import linecache
import re
import socket
import subprocess
import sys
import time
import traceback
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import AsyncGeneratorType, FrameType, TracebackType
from typing import Any

import _pytest
import looptime

from grader.manifest import KIT_ROOT, shown_path

# Code that is never the learner's: installed libraries, the standard library, the grader.
_NOT_LEARNER_ROOTS = (
    *{Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)},
    KIT_ROOT / "grader",
)
# pytest's own package: a stack walk looking for learner code can stop there.
_PYTEST_ROOT = Path(_pytest.__file__).resolve().parent
# Test files call learner code but are not it (wrong answers beside them are).
_TEST_FILE = re.compile(r"[\\/](test_[^\\/]*|conftest)\.py$")

# How long (in virtual seconds) pending tasks get to finish after being cancelled.
_CANCEL_GRACE = 60.0


@dataclass(frozen=True)
class Mistake:
    """One detected asyncio mistake."""

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


@functools.lru_cache(maxsize=4096)
def is_learner_file(filename: str) -> bool:
    """Whether ``filename`` is code a learner wrote (an exercise, solution or wrong answer)."""
    if not filename.endswith(".py") or _TEST_FILE.search(filename):
        return False
    path = Path(filename).resolve()
    return not any(path.is_relative_to(root) for root in _NOT_LEARNER_ROOTS)


def describe_location(filename: str, lineno: int, line: str | None = None) -> str:
    """``exercises/02_tasks/x.py:12`` plus the source line, relative to the kit root.

    The line is read from the file when not given; an empty one leaves it out.
    """
    if line is None:
        line = linecache.getline(filename, lineno)
    text = f"{shown_path(Path(filename))}:{lineno}"
    return f"{text}: {line.strip()}" if line and line.strip() else text


def learner_location(frames: list[traceback.FrameSummary]) -> str | None:
    """The innermost frame of learner code in ``frames``, described for a learner."""
    for frame in reversed(frames):
        if is_learner_file(frame.filename) and frame.lineno is not None:
            return describe_location(frame.filename, frame.lineno, frame.line)
    return None


def learner_caller(frame: FrameType | None) -> str | None:
    """The innermost learner line on the call stack starting at ``frame``, if there is one."""
    found = learner_line(frame)
    return describe_location(*found) if found else None


def learner_line(frame: FrameType | None) -> tuple[str, int] | None:
    """The file and line number of the innermost learner frame from ``frame`` outwards.

    The walk stops at pytest's own frames: learner code runs below them, never above, and
    a stack is deep there (each frame walked past costs a frame object).
    """
    while frame is not None:
        filename = frame.f_code.co_filename
        if is_learner_file(filename):
            return filename, frame.f_lineno
        if _is_pytest_file(filename):
            return None
        frame = frame.f_back
    return None


@functools.lru_cache(maxsize=4096)
def _is_pytest_file(filename: str) -> bool:
    return Path(filename).resolve().is_relative_to(_PYTEST_ROOT)


def location_of_exception(error: BaseException) -> str | None:
    """Where in learner code ``error`` was raised."""
    return learner_location_in(error.__traceback__)


def learner_location_in(tb: TracebackType | None) -> str | None:
    """The innermost frame of learner code in a traceback, described for a learner.

    The same as ``learner_location(traceback.extract_tb(tb))``, without reading the source
    line of every frame: only the chosen one's.
    """
    found = None
    for frame, lineno in traceback.walk_tb(tb):
        if lineno is not None and is_learner_file(frame.f_code.co_filename):
            found = (frame.f_code.co_filename, lineno)
    return describe_location(*found) if found else None


class BlockingCallError(RuntimeError):
    """Raised inside a coroutine that made a blocking call on the event loop's thread."""


_FUTURE_ADVICE = (
    "waiting for an unfinished concurrent.futures.Future blocks; "
    "`await asyncio.wrap_future(future)` instead"
)


# Captured at import, before the guard replaces them.
_FUTURE_WAITS = (concurrent.futures.Future.result, concurrent.futures.Future.exception)
_WAIT_FOR_FUTURES = concurrent.futures.wait


def _would_block(
    original: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> bool:
    """Whether a call to a guarded function would wait (finished futures return at once)."""
    if original in _FUTURE_WAITS:
        future, *rest = args
        timeout = kwargs.get("timeout", rest[0] if rest else None)
        return not future.done() and timeout != 0
    if original is _WAIT_FOR_FUTURES:
        futures = args[0] if args else kwargs.get("fs", ())
        timeout = kwargs.get("timeout", args[1] if len(args) > 1 else None)
        return timeout != 0 and not all(future.done() for future in futures)
    return True


class BlockingCallGuard:
    """Replaces blocking functions with versions that refuse to run on an event loop's thread.

    Installed once per pytest session, before any exercise module is imported, so that
    ``from time import sleep`` in an exercise also gets the guarded version. Off the loop's
    thread (in an executor, say) the real function runs.
    """

    TARGETS: tuple[tuple[Any, str, str], ...] = (
        (concurrent.futures.Future, "result", _FUTURE_ADVICE),
        (concurrent.futures.Future, "exception", _FUTURE_ADVICE),
        (concurrent.futures, "wait", _FUTURE_ADVICE),
        (time, "sleep", "time.sleep() blocks the whole event loop; use `await asyncio.sleep()`"),
        (subprocess, "run", "subprocess.run() blocks; use asyncio.create_subprocess_exec()"),
        (subprocess, "call", "subprocess.call() blocks; use asyncio.create_subprocess_exec()"),
        (subprocess, "check_output", "subprocess.check_output() blocks; use asyncio subprocesses"),
        (socket, "create_connection", "it blocks; use asyncio.open_connection()"),
        (urllib.request, "urlopen", "urlopen() blocks; run it with asyncio.to_thread()"),
    )

    def __init__(self) -> None:
        self.calls: list[Mistake] = []
        self._originals: list[tuple[Any, str, Any]] = []

    def install(self) -> None:
        """Swap the guarded versions in."""
        for module, name, advice in self.TARGETS:
            original = getattr(module, name)
            self._originals.append((module, name, original))
            setattr(module, name, self._guarded(original, f"{module.__name__}.{name}", advice))

    def uninstall(self) -> None:
        """Put the real functions back."""
        for module, name, original in reversed(self._originals):
            setattr(module, name, original)
        self._originals.clear()

    def _guarded(
        self, original: Callable[..., Any], qualname: str, advice: str
    ) -> Callable[..., Any]:
        @functools.wraps(original)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True  # the learner needs their own line, not this wrapper
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return original(*args, **kwargs)
            if not _would_block(original, args, kwargs):
                return original(*args, **kwargs)
            where = learner_location(traceback.extract_stack()[:-1])
            at = f" at {where}" if where else ""
            message = (
                f"Blocking call {qualname}() inside a coroutine{at}. While it runs, no other "
                f"task can make progress: {advice}."
            )
            self.calls.append(Mistake("blocking-call", message))
            raise BlockingCallError(message)

        return guarded


# The RuntimeWarning CPython issues when a coroutine object is garbage-collected unawaited.
_NEVER_AWAITED = re.compile(r"coroutine '([^']+)' was never awaited")


def is_never_awaited_warning(caught: warnings.WarningMessage) -> bool:
    """Whether a caught warning reports a never-awaited coroutine."""
    return bool(_NEVER_AWAITED.search(str(caught.message)))


def never_awaited(caught_warnings: list[warnings.WarningMessage]) -> list[Mistake]:
    """The never-awaited coroutines, each with the learner line that created it."""
    found: list[Mistake] = []
    for caught in caught_warnings:
        text = str(caught.message)
        match = _NEVER_AWAITED.search(text)
        if not match:
            continue
        where = _creation_site(text)
        at = f" (created at {where})" if where else ""
        found.append(
            Mistake(
                "never-awaited",
                f"The coroutine {match.group(1)}() was created but never awaited{at}. "
                "Calling an async function only builds a coroutine object; nothing runs "
                "until you `await` it or wrap it in asyncio.create_task().",
            )
        )
    return found


_ORIGIN_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def _creation_site(warning_text: str) -> str | None:
    """The learner line in the "Coroutine created at" part of a never-awaited warning."""
    sites = [(f, int(n)) for f, n in _ORIGIN_FRAME.findall(warning_text) if is_learner_file(f)]
    if not sites:
        return None
    filename, lineno = sites[-1]
    return describe_location(filename, lineno, "")


def unretrieved_errors(contexts: list[dict[str, Any]]) -> list[Mistake]:
    """Turn the loop's exception-handler calls into mistakes a learner can act on."""
    found: list[Mistake] = []
    for context in contexts:
        error = context.get("exception")
        if isinstance(error, looptime.IdleTimeoutError):
            continue  # the deadlock itself is already the test's failure
        if _streams_asking_a_cancelled_handler(context):
            continue  # asyncio's own mistake before 3.13, not the learner's
        message = str(context.get("message", "asyncio reported an error"))
        where = location_of_exception(error) if error is not None else None
        at = f" raised at {where}" if where else ""
        nudge = nudge_for_error(error) if error is not None else None
        if type(error).__name__ == "BusyLoopInterrupt":
            found.append(Mistake("busy-loop", str(error)))
        elif nudge and isinstance(error, asyncio.CancelledError):
            where_text = f" at {where}" if where else ""
            found.append(
                Mistake(
                    "loop-error",
                    f"A callback run by the event loop raised asyncio.CancelledError{where_text}. "
                    f"{nudge}",
                )
            )
        elif "never retrieved" in message:
            found.append(
                Mistake(
                    "unretrieved-exception",
                    f"A task failed with {error!r}{at}, and no one ever awaited it or asked "
                    "for its result: asyncio reports it as 'Task exception was never "
                    "retrieved'. Await every task you create (or use gather/TaskGroup), or read "
                    "task.exception() in its done-callback, so its errors reach you.",
                )
            )
        elif error is not None:
            found.append(
                Mistake(
                    "loop-error",
                    f"{error!r}{at} escaped a callback run by the event loop. Exceptions in "
                    "callbacks reach no caller: handle them inside the callback."
                    + (f" {nudge}" if nudge else ""),
                )
            )
        else:
            found.append(Mistake("loop-error", f"asyncio reported a problem: {message}"))
    return found


def _streams_asking_a_cancelled_handler(context: dict[str, Any]) -> bool:
    """Whether this is asyncio.start_server asking a cancelled client handler for its error.

    Before Python 3.13, the done-callback start_server puts on each client handler task
    calls ``task.exception()`` without checking ``task.cancelled()`` first, so a server
    that cancels its handlers on the way out (a correct way to hang up on every client)
    made asyncio itself raise CancelledError in that callback. 3.13 checks first.
    """
    callback = getattr(context.get("handle"), "_callback", None)
    return isinstance(context.get("exception"), asyncio.CancelledError) and (
        getattr(callback, "__qualname__", "")
        == "StreamReaderProtocol.connection_made.<locals>.callback"
    )


def pending_tasks(loop: asyncio.AbstractEventLoop) -> list[Mistake]:
    """Tasks left running after the test finished, then cancelled so they do not leak.

    The loop is not running here (the test has returned), so the cancelled tasks are given a
    bounded stretch of virtual time to finish.
    """
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    if not pending:
        return []
    # Tasks the test itself started are cleaned up without blaming the learner. Tasks made
    # by the same line and waiting at the same line are one mistake, said once.
    groups: dict[tuple[str, str, str], int] = {}
    for task in pending:
        if created_at := getattr(task, "created_at", None):
            key = (task_title(task), created_at, _suspension_point(task))
            groups[key] = groups.get(key, 0) + 1
    found = [
        Mistake(
            "pending-task",
            f"{_tasks_phrase(count, name)}, created at {created_at}, "
            f"{'was' if count == 1 else 'were'} still running when the test finished{waiting}. "
            "Every task you start must be awaited, cancelled-and-awaited, or owned by a "
            "TaskGroup before your function returns.",
        )
        for (name, created_at, waiting), count in groups.items()
    ]
    for task in pending:
        task.cancel()
    drained = asyncio.wait(pending, timeout=_CANCEL_GRACE)
    try:
        loop.run_until_complete(drained)
    except BaseException:  # a broken task must not hide the findings above
        drained.close()
    stubborn = [task for task in pending if not task.done()]
    found += [
        Mistake(
            "ignores-cancellation",
            f"Task {task.get_name()!r} ignored cancellation: it kept running after "
            "task.cancel(). Never swallow asyncio.CancelledError; re-raise it.",
        )
        for task in stubborn
    ]
    if stubborn:
        _force_stop(stubborn, loop)
    for task in pending:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved here so asyncio does not report it again
    return found


def _force_stop(tasks: list[asyncio.Task[Any]], loop: asyncio.AbstractEventLoop) -> None:
    """Stop tasks that swallow cancellation, so closing the loop cannot spin forever.

    Closing a coroutine raises GeneratorExit at its ``await``, which ``except
    CancelledError`` does not catch; the task then finishes as cancelled.
    """
    for task in tasks:
        with contextlib.suppress(RuntimeError):  # it caught GeneratorExit too: nothing to do
            task.get_coro().close()
        task.cancel()
    finishing = asyncio.wait(tasks, timeout=_CANCEL_GRACE)
    try:
        loop.run_until_complete(finishing)
    except BaseException:  # findings are already recorded
        finishing.close()


def task_title(task: asyncio.Task[Any]) -> str:
    """``Task 'name' (work())`` for a task given a name, ``work()`` for one named Task-N."""
    name = task.get_name()
    default = re.fullmatch(r"Task-\d+", name) is not None
    return _coroutine_name(task) if default else f"Task {name!r} ({_coroutine_name(task)})"


def where_tasks_wait(loop: asyncio.AbstractEventLoop, only_ready: bool = False) -> list[str]:
    """``work() at <learner line>`` for each task suspended in learner code.

    ``only_ready`` keeps the tasks about to run again (not waiting on any future): the
    ones a polling loop keeps rescheduling.
    """
    places: list[str] = []
    for task in asyncio.all_tasks(loop):
        if task.done() or (only_ready and getattr(task, "_fut_waiter", None) is not None):
            continue
        where = suspension_point(task)
        if where is None:
            continue
        code = getattr(task.get_coro(), "cr_code", None)
        named = not re.fullmatch(r"Task-\d+", task.get_name())
        if named or (code is not None and is_learner_file(code.co_filename)):
            places.append(f"{task_title(task)} at {where}")
        else:
            places.append(f"at {where}")  # a test's own task, awaiting learner code
    return sorted(set(places))


def _tasks_phrase(count: int, title: str) -> str:
    if title.startswith("Task "):
        return title if count == 1 else f"{count} tasks like {title}"
    return f"A task running {title}" if count == 1 else f"{count} tasks running {title}"


def _coroutine_name(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    return f"{getattr(coro, '__qualname__', coro)}()"


def _suspension_point(task: asyncio.Task[Any]) -> str:
    """`` while waiting at <learner line>`` for a suspended task, when it is learner code."""
    where = suspension_point(task)
    return f" while waiting at {where}" if where else ""


def suspension_point(task: asyncio.Task[Any]) -> str | None:
    """The learner line where a suspended task is waiting, if it is waiting in learner code.

    ``task.get_stack()`` shows only the task's outermost coroutine (often the test); the
    chain of ``await``s below it leads to the line that is actually waiting.
    """
    summary = traceback.StackSummary.extract(
        ((frame, frame.f_lineno) for frame in awaited_frames(task.get_coro())), lookup_lines=True
    )
    return learner_location(summary)


def awaited_frames(coro: object) -> list[FrameType]:
    """The frames of ``coro`` and of everything it is awaiting, outermost first.

    The chain goes on through async generators (``async for``, ``anext``, an
    ``asynccontextmanager``), whose own frames wait on the learner's line.
    """
    frames: list[FrameType] = []
    seen: set[int] = set()
    while coro is not None and id(coro) not in seen:
        seen.add(id(coro))
        frame = (
            getattr(coro, "cr_frame", None)
            or getattr(coro, "gi_frame", None)
            or getattr(coro, "ag_frame", None)
        )
        if frame is not None:
            frames.append(frame)
        coro = _awaited_by(coro)
    return frames


def _awaited_by(awaitable: object) -> object:
    """What ``awaitable`` is waiting on: the next link of an await chain, or None."""
    for name in ("cr_await", "gi_yieldfrom", "ag_await"):
        inner = getattr(awaitable, name, None)
        if inner is not None:
            return inner
    if type(awaitable).__name__ in _ASYNC_GENERATOR_STEPS:
        # What `await agen.__anext__()` awaits names no attribute for its generator; the
        # generator is the object it refers to.
        return next(
            (item for item in gc.get_referents(awaitable) if isinstance(item, AsyncGeneratorType)),
            None,
        )
    return None


_ASYNC_GENERATOR_STEPS = ("async_generator_asend", "async_generator_athrow")


# -- nudges for the plain errors newcomers hit ----------------------------------------------


def nudge_for_error(error: BaseException) -> str | None:
    """A sentence on what an error from inside asyncio usually means, if it is a known one."""
    text = str(error)
    where = learner_location_in(error.__traceback__) or ""
    gather_refused = "unhashable type: 'list'" in text or "awaitable is required" in text
    in_gather = any(
        frame.f_code.co_name == "gather" for frame, _ in traceback.walk_tb(error.__traceback__)
    )
    if isinstance(error, TypeError) and gather_refused and in_gather:
        return (
            "asyncio.gather takes the awaitables themselves, not a list of them: write "
            "`asyncio.gather(*aws)` to spread the list into arguments."
        )
    if isinstance(error, RuntimeError) and "cannot be called from a running event loop" in text:
        return (
            "You are already inside a coroutine, on a running event loop: `await` the "
            "coroutine instead of starting a second loop with asyncio.run()."
        )
    if isinstance(error, RuntimeError) and "Non-thread-safe operation" in text:
        return (
            "This ran on another thread than the event loop's. From a worker thread, reach "
            "the loop only through loop.call_soon_threadsafe(...) or "
            "asyncio.run_coroutine_threadsafe(...): call_soon, call_later, create_task and a "
            "future's set_result belong to the loop's own thread."
        )
    if isinstance(error, RuntimeError) and "no current event loop" in text:
        return (
            "asyncio.get_event_loop() has no loop to give outside a running loop. From "
            "ordinary code, run the coroutine with `asyncio.run(coro)`; inside a coroutine, "
            "use asyncio.get_running_loop()."
        )
    if isinstance(error, asyncio.CancelledError) and (
        ".exception()" in where or ".result()" in where
    ):
        return (
            "On a cancelled task, .exception() and .result() raise CancelledError instead of "
            "answering: check `task.cancelled()` first."
        )
    return None


@functools.lru_cache(maxsize=64)
def _parsed(path: Path, stamp: float) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None


def source_nudges(path: Path, failure: str) -> list[str]:
    """Advice from reading the learner's file, for patterns behind the failure's symptom."""
    try:
        tree = _parsed(path, path.stat().st_mtime)
    except OSError:
        return []
    if tree is None:
        return []
    shown = shown_path(path)
    found: list[str] = []
    if "cancel" in failure.lower():
        for line in _except_exception_lines(tree):
            found.append(
                f"{shown}:{line}: `except Exception` does not catch asyncio.CancelledError, "
                "which is a BaseException (not an Exception) since Python 3.8. Clean up in "
                "`finally:`, or catch asyncio.CancelledError by name and re-raise it."
            )
    for line, kind in _primitive_made_per_call(tree):
        found.append(
            f"{shown}:{line}: a new asyncio.{kind} is made on every call, so each caller "
            f"holds its own and none of them waits for the others. Make one {kind} shared by "
            "every caller (in __init__, or once outside the function)."
        )
    late = _late_bound_lambdas(tree)
    for name in dict.fromkeys(name for _, name in late):
        lines = ", ".join(str(line) for line, other in late if other == name)
        found.append(
            f"{shown}:{lines}: the lambda reads `{name}` when the loop calls it, after the "
            f"`for` loop has moved on, so every callback sees the last `{name}`. Pass the "
            f"value as an argument instead: loop.call_soon(function, {name})."
        )
    clock_reads = _wall_clock_reads(tree)
    for name in dict.fromkeys(name for _, name in clock_reads):
        lines = ", ".join(str(line) for line, other in clock_reads if other == name)
        found.append(
            f"{shown}:{lines}: {name}() reads the machine's clock, but asyncio's sleeps, "
            "timeouts and timers run on the event loop's clock: measure with "
            "asyncio.get_running_loop().time(). (On a plain loop the two agree; the kit's "
            "loop runs on virtual time, where a wait of an hour takes no real time at all.)"
        )
    if "get_event_loop" in _attribute_names(tree):
        found.append(
            f"{shown}: asyncio.get_event_loop() is deprecated outside a running loop (3.12 "
            "warns, 3.14 raises). From ordinary code, use `asyncio.run(coro)`; inside a "
            "coroutine, asyncio.get_running_loop()."
        )
    return found


_WALL_CLOCKS = frozenset(
    {"monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns", "time", "time_ns"}
)


@functools.lru_cache(maxsize=64)  # one parse of a file, read for every failure
def _wall_clock_reads(tree: ast.Module) -> list[tuple[int, str]]:
    """Calls that read the machine's clock (``time.monotonic()``, ...), as (line, name)."""
    imported = {
        alias.asname or alias.name: f"time.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "time"
        for alias in node.names
        if alias.name in _WALL_CLOCKS
    }
    reads = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if (
            isinstance(called, ast.Attribute)
            and isinstance(called.value, ast.Name)
            and called.value.id == "time"
            and called.attr in _WALL_CLOCKS
        ):
            reads.append((node.lineno, f"time.{called.attr}"))
        elif isinstance(called, ast.Name) and called.id in imported:
            reads.append((node.lineno, imported[called.id]))
    return sorted(reads)


@functools.lru_cache(maxsize=64)  # one parse of a file, read for every failure
def _attribute_names(tree: ast.Module) -> frozenset[str]:
    return frozenset(n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute))


@functools.lru_cache(maxsize=64)  # one parse of a file, read for every failure
def _except_exception_lines(tree: ast.Module) -> list[int]:
    """``except Exception:`` clauses that clean up and re-raise: they miss cancellation."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler)
        and isinstance(node.type, ast.Name)
        and node.type.id == "Exception"
        and any(isinstance(inner, ast.Raise) for inner in ast.walk(node))
    ]


_PRIMITIVES = ("Lock", "Semaphore", "BoundedSemaphore", "Condition")


def _primitive_call(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in _PRIMITIVES:
            return str(name)
    return None


@functools.lru_cache(maxsize=64)  # one parse of a file, read for every failure
def _primitive_made_per_call(tree: ast.Module) -> list[tuple[int, str]]:
    """Locks a function makes for itself alone, which no other caller ever waits for.

    That is a fresh lock in ``async with``, or one in a local name that nothing else is given.
    A local lock that the function hands on (to the tasks it starts, through a closure or
    an argument, or by storing or returning it) is shared by those, as in one semaphore per
    call of a function that runs several downloads; a name declared ``global`` or
    ``nonlocal`` is the shared lock itself, made lazily.
    """
    found: list[tuple[int, str]] = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name in ("__init__", "__post_init__"):
            continue
        declared = {
            name
            for node in _own_nodes(function)
            if isinstance(node, ast.Global | ast.Nonlocal)
            for name in node.names
        }
        for node in _own_nodes(function):
            if isinstance(node, ast.AsyncWith):
                made = next(
                    filter(None, (_primitive_call(i.context_expr) for i in node.items)), None
                )
                if made:
                    found.append((node.lineno, made))
            elif (
                isinstance(node, ast.Assign)
                and (made := _primitive_call(node.value))
                and all(isinstance(t, ast.Name) for t in node.targets)
            ):
                names = {t.id for t in node.targets if isinstance(t, ast.Name)}
                if not names & declared and not any(_handed_on(function, n) for n in names):
                    found.append((node.lineno, made))
    return found


def _own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes of ``function``'s body, without those of the functions defined in it."""
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))


def _handed_on(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether ``function`` lets anything else reach its local ``name``.

    Only ``async with name:`` and calls of its own methods (``name.acquire()``) keep it to
    the function; any other use (an argument, a closure, a stored or returned value, a
    comprehension that builds tasks) may share it.
    """
    kept: set[int] = set()
    for node in _own_nodes(function):
        if isinstance(node, ast.AsyncWith | ast.With):
            kept |= {id(item.context_expr) for item in node.items}
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            kept.add(id(node.value))
    own = {id(node) for node in _own_nodes(function)}
    return any(
        isinstance(node, ast.Name)
        and node.id == name
        and isinstance(node.ctx, ast.Load)
        and (id(node) not in own or id(node) not in kept)
        for node in ast.walk(function)
    )


_CALLBACK_TAKERS = ("call_soon", "call_later", "call_at", "call_soon_threadsafe")


@functools.lru_cache(maxsize=64)  # one parse of a file, read for every failure
def _late_bound_lambdas(tree: ast.Module) -> list[tuple[int, str]]:
    """``loop.call_soon(lambda: f(i))`` inside ``for i in ...``: every call sees the last i."""
    found: list[tuple[int, str]] = []
    for loop in ast.walk(tree):
        if not isinstance(loop, ast.For | ast.AsyncFor):
            continue
        targets = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
        for node in ast.walk(loop):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _CALLBACK_TAKERS
            ):
                continue
            for arg in node.args:
                if not isinstance(arg, ast.Lambda):
                    continue
                bound = {a.arg for a in arg.args.args + arg.args.kwonlyargs}
                used = {n.id for n in ast.walk(arg.body) if isinstance(n, ast.Name)}
                for name in sorted((used & targets) - bound):
                    found.append((node.lineno, name))
    return found


def swallowing_handlers(path: Path, caught_names: set[str]) -> list[str]:
    """``N: ...`` (N a line) for each ``except`` that catches ``caught_names`` and never raises.

    ``caught_names`` are an error type and its bases, as ``except`` clauses name them.
    """
    try:
        tree = _parsed(path, path.stat().st_mtime)
    except OSError:
        return []
    found: list[str] = []
    for node in ast.walk(tree) if tree is not None else ():
        if not isinstance(node, ast.ExceptHandler) or not _catches(node.type, caught_names):
            continue
        if any(isinstance(inner, ast.Raise) for inner in ast.walk(node)):
            continue
        what = "`except:`" if node.type is None else f"`except {ast.unparse(node.type)}`"
        returned = node.name is not None and any(
            isinstance(inner, ast.Return)
            and inner.value is not None
            and any(isinstance(n, ast.Name) and n.id == node.name for n in ast.walk(inner.value))
            for inner in ast.walk(node)
        )
        doing = (
            "returns the error as a value instead of raising it"
            if returned
            else ("handles it and carries on without raising it again")
        )
        found.append(f"{node.lineno}: {what} {doing}")
    return found


def _catches(handler_type: ast.expr | None, names: set[str]) -> bool:
    if handler_type is None:
        return True
    if isinstance(handler_type, ast.Tuple):
        return any(_catches(element, names) for element in handler_type.elts)
    if isinstance(handler_type, ast.Attribute):
        return handler_type.attr in names
    return isinstance(handler_type, ast.Name) and handler_type.id in names
