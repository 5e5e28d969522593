"""Turning a failed test's exception into a message written for a learner."""

from __future__ import annotations

import asyncio
import traceback

import pytest

from grader.inside.attempts import AttemptLoadError
from grader.inside.detectors import BlockingCallError, learner_location
from grader.inside.virtual_clock import DEADLOCK_ERROR

# Detector findings are appended to a failure's message under this header.
ALSO_HEADER = "\nAlso:\n"


class AsyncioMistakeError(AssertionError):
    """A test passed its assertions but a mistake detector caught an asyncio bug."""


def learner_message(
    excinfo: pytest.ExceptionInfo[BaseException],
    loop_time: float | None,
    waiting_at: list[str] | None = None,
) -> str:
    """What went wrong, in asyncio terms, with the learner's line where one is known."""
    error = excinfo.value
    where = learner_location(traceback.extract_tb(excinfo.tb))
    at = f"\n  at {where}" if where else ""
    if isinstance(error, AttemptLoadError | AsyncioMistakeError | BlockingCallError):
        return str(error)
    if isinstance(error, NotImplementedError) and where:
        return (
            f"Not started: the function still raises NotImplementedError{at}\n"
            "Replace the `raise NotImplementedError` under the TODO with your code."
        )
    if isinstance(error, DEADLOCK_ERROR):
        when = f" at t={loop_time:g} s" if loop_time is not None else ""
        stuck = "".join(f"\n  - {place}" for place in waiting_at or [])
        stuck = f"\nWaiting at that moment:{stuck}" if stuck else at
        return (
            f"Deadlock{when} of event-loop time: every task was waiting (on a lock, event, "
            "condition, queue or future) and nothing was scheduled that could ever wake one "
            f"of them.{stuck}\nLook for a wait that nobody signals, or a lock never released."
        )
    if _is_real_time_timeout(error):
        return (
            "Stopped after running too long in real time: something never handed control "
            "back to the event loop (a loop with no `await` in it, or a blocking call)."
            f"{at}"
        )
    if isinstance(error, AssertionError):
        return _assertion_text(error)
    if isinstance(error, asyncio.CancelledError):
        return (
            f"asyncio.CancelledError reached the test{at}\nA cancellation escaped to the "
            "caller. After cancelling a task of your own, await it and catch the "
            "CancelledError that comes out of it; a cancellation aimed at you, though, must "
            "be re-raised."
        )
    if isinstance(error, BaseExceptionGroup):
        return _group_text(error) + at
    if isinstance(error, pytest.fail.Exception) and str(error).startswith("DID NOT RAISE"):
        expected = str(error).removeprefix("DID NOT RAISE").strip()
        return (
            f"Expected an exception ({expected}), but the call returned normally. "
            "An error inside a task or coroutine must reach the caller, not be swallowed."
        )
    if isinstance(error, pytest.fail.Exception):
        return str(error)  # a test's own pytest.fail() message
    return f"{type(error).__name__}: {error}{at}"


def _group_text(group: BaseExceptionGroup[BaseException], depth: int = 0) -> str:
    """An exception group with every exception inside it, as an indented list."""
    lines = [f"{type(group).__name__}: {group.message}"]
    for inner in group.exceptions:
        if isinstance(inner, BaseExceptionGroup):
            lines.append("  - " + _group_text(inner, depth + 1).replace("\n", "\n    "))
        else:
            where = learner_location(traceback.extract_tb(inner.__traceback__))
            at = f" (at {where})" if where else ""
            lines.append(f"  - {type(inner).__name__}: {inner}{at}")
    return "\n".join(lines)


def _is_real_time_timeout(error: BaseException) -> bool:
    """pytest-timeout reports with pytest's Failed exception and a message starting Timeout."""
    return isinstance(error, pytest.fail.Exception) and str(error).startswith("Timeout")


def _assertion_text(error: AssertionError) -> str:
    """The test's own message, without pytest's ``assert x == y`` introspection after it."""
    text = str(error)
    message, separator, _ = text.partition("\nassert ")
    if not (separator and message.strip()):
        return text or "An assertion failed."
    # pytest indents every line after the first of a multi-line message by two spaces.
    first, *rest = message.rstrip().splitlines()
    return "\n".join([first, *(line.removeprefix("  ") for line in rest)])
