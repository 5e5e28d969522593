"""The terminal report of ``nox -s grade``: one line per exercise, a score, and what to do next."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from grader.host.credit import tidy
from grader.host.outcomes import ERROR, FAILED, NOT_STARTED, PASSED, ExerciseOutcome
from grader.inside.messages import ALSO_HEADER

_BAR_WIDTH = 30
_SHOWN_FAILURES = 3
_SUMMARY_WIDTH = 76
_STATUS_STYLE = {PASSED: "32", FAILED: "31", ERROR: "31;1", NOT_STARTED: "2"}


def wants_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR or CI is set or TERM is dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


@dataclass(frozen=True)
class Style:
    """Adds ANSI colour when enabled, and nothing otherwise."""

    colour: bool

    def paint(self, text: str, code: str) -> str:
        """``text`` in the colour ``code`` (an SGR parameter such as ``32`` for green)."""
        return f"\033[{code}m{text}\033[0m" if self.colour else text


def render(outcomes: Sequence[ExerciseOutcome], *, verbose: bool, colour: bool) -> str:
    """The whole report as text."""
    style = Style(colour)
    lines = [_headline(outcomes), ""]
    upcoming = next_unfinished(outcomes)
    topic = None
    for outcome in outcomes:
        if outcome.exercise.topic != topic:
            topic = outcome.exercise.topic
            if lines[-1]:
                lines.append("")
            lines.append(style.paint(topic.title, "1"))
        lines.append(_exercise_line(outcome, style))
        if outcome.status in (FAILED, ERROR):
            if verbose:
                lines += _indent(_failure_details(outcome, limit=None), 6)
            elif outcome is not upcoming:
                lines.append(f"{'':21}{_one_line_summary(outcome)}")
    lines.append("")
    if upcoming is None:
        lines.append(style.paint("Every selected exercise passes. Well done!", "32;1"))
    else:
        lines += _next_steps(upcoming, style)
    return "\n".join(lines) + "\n"


def next_unfinished(outcomes: Sequence[ExerciseOutcome]) -> ExerciseOutcome | None:
    """The first exercise, in teaching order, that does not pass yet."""
    return next((outcome for outcome in outcomes if outcome.status != PASSED), None)


def progress_bar(earned: float, possible: int) -> str:
    """``[########----------]  40%`` for the share of points earned."""
    share = earned / possible if possible else 0.0
    filled = round(share * _BAR_WIDTH)
    return f"[{'#' * filled}{'-' * (_BAR_WIDTH - filled)}] {share:4.0%}"


def _headline(outcomes: Sequence[ExerciseOutcome]) -> str:
    earned = tidy(sum(outcome.points for outcome in outcomes))
    possible = sum(outcome.exercise.points for outcome in outcomes)
    passed = sum(outcome.status == PASSED for outcome in outcomes)
    return (
        f"Score: {earned}/{possible} points, {passed} of {len(outcomes)} exercises passed\n"
        f"{progress_bar(earned, possible)}"
    )


def _exercise_line(outcome: ExerciseOutcome, style: Style) -> str:
    status = style.paint(f"{outcome.status:<11}", _STATUS_STYLE[outcome.status])
    exercise = outcome.exercise
    points = f"{outcome.points:>2}/{exercise.points:<2}"
    summary = ""
    if outcome.status == FAILED:
        summary = f"  {outcome.passed_count}/{len(outcome.tests)} tests pass"
    return f"  {status}  {points}  {exercise.id:<28} {exercise.title}{summary}"


def _one_line_summary(outcome: ExerciseOutcome) -> str:
    """The first thing wrong with an exercise, in one line."""
    unfinished = outcome.unfinished_tests
    if outcome.problem or not unfinished:
        first = (outcome.problem or "no test ran").splitlines()[0]
    elif outcome.status == ERROR:
        # An exercise that does not load fails every test the same way: say why, once.
        first = unfinished[0].message.splitlines()[0].replace(outcome.shown_file, "the file")
    else:
        first = f"{unfinished[0].sentence}: {unfinished[0].message.splitlines()[0]}"
    return first if len(first) <= _SUMMARY_WIDTH else first[: _SUMMARY_WIDTH - 3] + "..."


def next_steps(outcome: ExerciseOutcome, *, colour: bool) -> str:
    """What to do about one unfinished exercise: its file, its failures and a first hint."""
    return "\n".join(_next_steps(outcome, Style(colour))) + "\n"


def _next_steps(outcome: ExerciseOutcome, style: Style) -> list[str]:
    exercise = outcome.exercise
    lines = [
        style.paint(f"Next: {exercise.id} — {exercise.title}", "1"),
        f"  Edit {outcome.shown_file}",
    ]
    lines += _indent(_failure_details(outcome, limit=_SHOWN_FAILURES), 2)
    lines.append(f"  Hint: {exercise.hints[0]}")
    lines.append(f"  More hints: nox -s hint -- {exercise.id}")
    return lines


def _failure_details(outcome: ExerciseOutcome, limit: int | None) -> list[str]:
    """The learner messages of the tests that did not pass."""
    lines: list[str] = []
    if outcome.problem:
        lines += outcome.problem.splitlines()
    unfinished = outcome.unfinished_tests
    shown = unfinished if limit is None else unfinished[:limit]
    seen_messages: set[str] = set()
    seen_also: set[str] = set()
    for test in shown:
        lines.append(f"x {test.sentence} ({test.outcome})")
        # An import error repeats on every test; say it once.
        if test.message in seen_messages:
            lines.append("    (same problem as above)")
            continue
        seen_messages.add(test.message)
        main, _, also = test.message.partition(ALSO_HEADER)
        # Detector findings shared by several tests are listed under the first one only.
        fresh = [item for item in also.splitlines() if item and item not in seen_also]
        seen_also.update(fresh)
        text = main + (ALSO_HEADER + "\n".join(fresh) if fresh else "")
        lines += _indent(text.splitlines() or ["(no message)"], 4)
    hidden = len(unfinished) - len(shown)
    if hidden:
        lines.append(f"... and {hidden} more (nox -s grade -- {outcome.exercise.id} -v)")
    return lines


def _indent(lines: list[str], width: int) -> list[str]:
    return [textwrap.indent(line, " " * width) if line else line for line in lines]


def print_report(outcomes: Sequence[ExerciseOutcome], *, verbose: bool) -> None:
    """Write the report to stdout, in colour when the terminal supports it."""
    sys.stdout.write(render(outcomes, verbose=verbose, colour=wants_colour(sys.stdout)))
