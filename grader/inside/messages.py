"""Turning a failed test's exception into a message written for a learner.

:func:`failure_message` is the whole message of a failed test: what went wrong (from the
exception), the detectors' findings with the one that names the learner's mistake first,
and nudges for the plain errors newcomers hit. :func:`for_learner` keeps pytest's and the
grader's own vocabulary out of every message.
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import functools
import re
import traceback
from collections.abc import Sequence
from pathlib import Path

import pytest

from grader.inside.attempts import AttemptLoadError
from grader.inside.detectors import (
    BlockingCallError,
    Mistake,
    learner_location_in,
    nudge_for_error,
    source_nudges,
    swallowing_handlers,
)
from grader.inside.endless import BusyLoopInterrupt, EndlessWorkError
from grader.inside.virtual_clock import DEADLOCK_ERROR
from grader.manifest import shown_path
from grader.records import ALSO_HEADER

# Detector findings are appended to a failure's message under this header.
# Findings that name the learner's mistake outright: they lead the message.
_LEADING_KINDS = ("busy-loop", "loop-error", "blocking-call", "unretrieved-exception")
_TEST_FILE = re.compile(r"[\\/]test_[^\\/]*\.py$")
# An error type as a test names it: ``ValueError``, ``asyncio.TimeoutError``, a tuple of them.
_PLAIN = re.compile(r"[\w.]+|\([\w., ]+\)")


class AsyncioMistakeError(AssertionError):
    """A test passed its assertions but a mistake detector caught an asyncio bug."""


def failure_message(
    excinfo: pytest.ExceptionInfo[BaseException],
    loop_time: float | None,
    waiting_at: list[str] | None,
    mistakes: Sequence[Mistake],
    learner_file: Path | None,
) -> str:
    """The learner's message for one failed phase of a test."""
    main = learner_message(excinfo, loop_time, waiting_at, mistakes, learner_file)
    unique = list({mistake.message: mistake for mistake in mistakes}.values())
    others = [m for m in unique if m.message not in main]
    leading = [m for m in others if m.kind in _LEADING_KINDS]
    if leading and not isinstance(excinfo.value, AsyncioMistakeError):
        # The test's own message describes a symptom; the finding names the cause.
        first = leading[0]
        others = [m for m in others if m is not first]
        main = f"{first.message}\nWhat the test saw:\n" + _indented(main)
    if waiting_at and not isinstance(excinfo.value, DEADLOCK_ERROR):
        # The deadlock error is a TimeoutError (an OSError): a check that catches those, or
        # any Exception, saw it as the learner's error. The deadlock is the cause.
        main = f"{_deadlock(loop_time, waiting_at)}\nWhat the test saw:\n" + _indented(main)
    if (nudge := nudge_for_error(excinfo.value)) and nudge not in main:
        main += f"\n{nudge}"  # it names the mistake behind this very error
    also = [mistake.message for mistake in others]
    # Advice from the learner's file goes with the findings: the report says it once.
    if learner_file is not None:
        also += [n for n in source_nudges(learner_file, main) if n not in main]
    text = main + (ALSO_HEADER + "\n".join(f"- {item}" for item in also) if also else "")
    return for_learner(text)


def _deadlock(loop_time: float | None, waiting_at: list[str] | None, at: str = "") -> str:
    when = f" at t={loop_time:g} s" if loop_time is not None else ""
    stuck = "".join(f"\n  - {place}" for place in waiting_at or [])
    stuck = f"\nWaiting at that moment:{stuck}" if stuck else at
    return (
        f"Deadlock{when} of event-loop time: every task was waiting (on a lock, event, "
        "condition, queue or future) and nothing was scheduled that could ever wake one "
        f"of them.{stuck}\nLook for a wait that nobody signals, or a lock never released."
    )


def _indented(text: str) -> str:
    return "\n".join(f"  {line}" if line else line for line in text.splitlines())


def learner_message(
    excinfo: pytest.ExceptionInfo[BaseException],
    loop_time: float | None,
    waiting_at: list[str] | None = None,
    mistakes: Sequence[Mistake] = (),
    learner_file: Path | None = None,
) -> str:
    """What went wrong, in asyncio terms, with the learner's line where one is known."""
    error = excinfo.value
    where = learner_location_in(excinfo.tb)
    at = f"\n  at {where}" if where else ""
    if isinstance(
        error, AttemptLoadError | AsyncioMistakeError | BlockingCallError | EndlessWorkError
    ):
        return str(error)
    if isinstance(error, BusyLoopInterrupt):
        return str(error)
    if isinstance(error, NotImplementedError) and where:
        return (
            f"Not started: the function still raises NotImplementedError{at}\n"
            "Replace the `raise NotImplementedError` under the TODO with your code."
        )
    if isinstance(error, DEADLOCK_ERROR):
        return _deadlock(loop_time, waiting_at, at)
    if _is_real_time_timeout(error):
        return (
            "Stopped after running too long in real time: something never handed control "
            "back to the event loop (a loop with no `await` in it, or a blocking call)."
            f"{at}"
        )
    if isinstance(error, AssertionError):
        return _assertion_text(error, excinfo)
    if isinstance(error, pytest.fail.Exception) and str(error).startswith("DID NOT RAISE"):
        return _did_not_raise(excinfo, mistakes, learner_file)
    if isinstance(error, asyncio.CancelledError):
        return (
            f"asyncio.CancelledError reached the test{at}\nA cancellation escaped to the "
            "caller. After cancelling a task of your own, await it and catch the "
            "CancelledError that comes out of it; a cancellation aimed at you, though, must "
            "be re-raised."
        )
    if isinstance(error, BaseExceptionGroup):
        return _group_text(error) + at
    expected = _expected_by_test(excinfo)
    if expected is not None:
        return _replaced(error, expected, where)
    if isinstance(error, pytest.fail.Exception):
        return str(error)  # a test's own pytest.fail() message
    return f"{type(error).__name__}: {error}{at}"


# -- an expected exception that did not come out -------------------------------------------


def _raises_block(excinfo: pytest.ExceptionInfo[BaseException]) -> tuple[str, str] | None:
    """For an error that left a test's ``with pytest.raises(X):`` block: X and the call in it."""
    # The raw traceback: pytest's own (excinfo.traceback) works out a path for every frame.
    for frame, lineno in reversed(list(traceback.walk_tb(excinfo.tb))):
        filename = frame.f_code.co_filename
        if not _TEST_FILE.search(filename) or lineno is None:
            continue
        found = _raises_at(filename, lineno)
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=64)
def test_function_sources(filename: str) -> dict[str, str]:
    """The source of each top-level function of a test file, decorators included, by name."""
    parsed = _test_source(filename)
    if parsed is None:
        return {}
    source, tree = parsed
    lines = source.splitlines(keepends=True)
    return {
        node.name: "".join(lines[_first_line(node) - 1 : node.end_lineno])
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _first_line(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Where a function's source starts: its first decorator, else its ``def``."""
    return node.decorator_list[0].lineno if node.decorator_list else node.lineno


@functools.lru_cache(maxsize=64)
def _test_source(filename: str) -> tuple[str, ast.Module] | None:
    try:
        source = Path(filename).read_text(encoding="utf-8")
        return source, ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return None


def _raises_at(filename: str, lineno: int) -> tuple[str, str] | None:
    for first, last, expected, body in _raises_blocks(filename):
        if first <= lineno <= last:
            return expected, body
    return None


@functools.lru_cache(maxsize=64)
def _raises_blocks(filename: str) -> tuple[tuple[int, int, str, str], ...]:
    """Each ``with pytest.raises(X):`` block of a test file: its lines, X and its first call."""
    parsed = _test_source(filename)
    if parsed is None:
        return ()
    source, tree = parsed
    blocks = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.With | ast.AsyncWith) or not node.body:
            continue
        for item in node.items:
            call = item.context_expr
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "raises"
                and call.args
            ):
                expected = ast.get_source_segment(source, call.args[0]) or "an exception"
                body = ast.get_source_segment(source, node.body[0]) or ""
                end = node.end_lineno or node.lineno
                blocks.append((node.lineno, end, expected, body.replace("exercise.", "")))
                break
    return tuple(blocks)


def _expected_by_test(excinfo: pytest.ExceptionInfo[BaseException]) -> str | None:
    """What the test's ``pytest.raises`` expected, in its words when they are a plain name."""
    block = _raises_block(excinfo)
    if block is None:
        return None
    return block[0] if _PLAIN.fullmatch(block[0]) else "another error"


def _did_not_raise(
    excinfo: pytest.ExceptionInfo[BaseException],
    mistakes: Sequence[Mistake],
    learner_file: Path | None,
) -> str:
    expected = str(excinfo.value).removeprefix("DID NOT RAISE").strip()
    names = re.findall(r"<class '(?:[\w]+\.)*(\w+)'>", expected) or [expected]
    block = _raises_block(excinfo)
    # The test's own words for the error, unless they are a computation like type(error).
    wanted = block[0] if block and _PLAIN.fullmatch(block[0]) else " or ".join(names)
    call = f"`{block[1]}`" if block and block[1] else "the call"
    lines = [f"The test ran {call} and expected {wanted} to come out of it, but it returned "
             "normally: no exception reached the caller."]  # fmt: skip
    kinds = {mistake.kind for mistake in mistakes}
    handlers = swallowing_handlers(learner_file, _with_bases(names)) if learner_file else []
    if "unretrieved-exception" in kinds:
        lines.append(
            "What happened: the error was raised inside a task that nobody awaited, so it "
            "stayed in that task. Await the task (or use gather / a TaskGroup) so that its "
            "error reaches your caller."
        )
    elif "never-awaited" in kinds:
        lines.append(
            "What happened: the coroutine that would have raised it never ran, because it "
            "was never awaited (see below)."
        )
    elif handlers:
        lines.append("What happened: your code catches it and does not raise it again:")
        lines += [f"  {shown_path(learner_file)}:{h}" for h in handlers if learner_file]
        lines.append(
            "Catch only what you handle on purpose, and let everything else (or the error "
            "itself, with a bare `raise`) reach the caller."
        )
    else:
        lines.append(
            f"Nothing in your code catches {wanted}, so it was never raised on the way out. "
            "Read again when the task says this call must raise it, then look for where "
            "that goes missing: the code that raises it never runs (or runs fewer times "
            "than needed), the error is handed back as a value (returned, or set as a "
            "future's result) instead of raised, or it is yours to raise and nothing does."
        )
    return "\n".join(lines)


def _with_bases(names: list[str]) -> set[str]:
    """The error types and every base class they have, for matching ``except`` clauses."""
    found = set(names) | {"Exception", "BaseException"}
    for name in names:
        builtin = getattr(builtins, name, None)
        if isinstance(builtin, type):
            found |= {base.__name__ for base in builtin.__mro__}
    return found


def _replaced(error: BaseException, expected: str, where: str | None) -> str:
    at = f" at {where}" if where else ""
    original = error.__cause__ or error.__context__
    wrapped = (
        f", and it carries the original ({type(original).__name__}: {original}) as its cause"
        if original is not None
        else ""
    )
    if expected == "another error" and original is not None:
        expected = f"the original {type(original).__name__}"
    return (
        f"{type(error).__name__}: {error}{at}\n"
        f"The test expected {expected}, but {type(error).__name__} came out instead: it "
        f"replaced the expected error{wrapped}. Let the original exception through (a bare "
        "`raise` inside `except` re-raises it unchanged) rather than raising a new one."
    )


# -- the rest ------------------------------------------------------------------------------


def _group_text(group: BaseExceptionGroup[BaseException], depth: int = 0) -> str:
    """An exception group with every exception inside it, as an indented list."""
    lines = [f"{type(group).__name__}: {group.message}"]
    for inner in group.exceptions:
        if isinstance(inner, BaseExceptionGroup):
            lines.append("  - " + _group_text(inner, depth + 1).replace("\n", "\n    "))
        else:
            where = learner_location_in(inner.__traceback__)
            at = f" (at {where})" if where else ""
            lines.append(f"  - {type(inner).__name__}: {inner}{at}")
    return "\n".join(lines)


def _is_real_time_timeout(error: BaseException) -> bool:
    """pytest-timeout reports with pytest's Failed exception and a message starting Timeout."""
    return isinstance(error, pytest.fail.Exception) and str(error).startswith("Timeout")


# pytest's assertion introspection: "assert x == y", "+  where ...", "-  and ...".
_INTROSPECTION = re.compile(r"^\s*(assert |[+-] *where |[+-] *and |where |and )")


def _assertion_text(error: AssertionError, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """The test's own message, without pytest's ``assert x == y`` introspection after it."""
    text = str(error)
    message, separator, _ = text.partition("\nassert ")
    if not separator and not text.startswith("assert "):
        return text or _bare_assertion(text, excinfo)
    if not message.strip() or text.startswith("assert "):
        return _bare_assertion(text, excinfo)
    # pytest indents every line after the first of a multi-line message by two spaces.
    first, *rest = message.rstrip().splitlines()
    rest = [line for line in rest if not _INTROSPECTION.match(line)]
    return "\n".join([first, *(line.removeprefix("  ") for line in rest)])


def _bare_assertion(text: str, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """A check without a message of its own: the check as the test wrote it, and the values."""
    check = None
    for entry in reversed(excinfo.traceback):
        if _TEST_FILE.search(str(entry.path)):
            check = str(entry.statement).strip()
            break
    values = text.splitlines()[0].removeprefix("assert ").strip() if text else ""
    shown = f" (the values were: {values})" if values and len(values) <= 80 else ""
    if check:
        return f"The test's check `{check.replace('exercise.', '')}` did not hold{shown}."
    return f"A check in the test did not hold{shown}."


# The grader's own names that reprs and error texts can carry into a message.
_INTERNAL_NAMES = (
    (re.compile(r"\bLearnerTask\b"), "Task"),
    (re.compile(r"\basyncio_kit_[a-z_]+\.[a-z_]+\.(\w+)"), r"\1"),
    # A task's repr runs to a whole line; its coroutine and state are what matter here.
    (
        re.compile(r"<Task (\w+) name='[^']*' coro=<(?:\w+\.<locals>\.)?(\S+?\(\))[^\n]*?>>"),
        r"<Task \2 \1>",
    ),
)


def for_learner(text: str) -> str:
    """``text`` without the grader's internal class and module names."""
    for pattern, replacement in _INTERNAL_NAMES:
        text = pattern.sub(replacement, text)
    return text


def missing_names(module: object, item: pytest.Item, shown: str) -> str | None:
    """Why ``module`` cannot be tested by ``item``: the names its test uses that it lacks."""
    function = getattr(item, "function", None)
    source = _test_source(str(getattr(item, "path", "")))
    if function is None or source is None:
        return None
    first, last = _line_span(function)
    used = {name for line, name in _exercise_names(source[1]) if first <= line <= last}
    missing = sorted(name for name in used if not hasattr(module, name))
    if not missing:
        return None
    names = ", ".join(f"`{name}`" for name in missing)
    return (
        f"{shown} has no {names}: the tests call it by that name. Did you rename or delete "
        "it? Keep the name the stub gave it (`nox -s reset` brings the stub back)."
    )


@functools.lru_cache(maxsize=64)
def _exercise_names(tree: ast.Module) -> tuple[tuple[int, str], ...]:
    """Each ``exercise.<name>`` a test file uses, with its line."""
    return tuple(
        (node.lineno, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "exercise"
    )


def _line_span(function: object) -> tuple[int, int]:
    """The first and last line of a function's code (0, -1 when it has none)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return 0, -1
    last = max((line for _, _, line in code.co_lines() if line is not None), default=0)
    return code.co_firstlineno, last
