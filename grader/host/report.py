"""The terminal report of ``nox -s grade``: one line per exercise, a score, and what to do next."""

from __future__ import annotations

import ast
import os
import re
import sys
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from grader.host.credit import tidy
from grader.host.outcomes import (
    ERROR,
    FAILED,
    NOT_STARTED,
    PASSED,
    UNAVAILABLE,
    ExerciseOutcome,
    TestOutcome,
)
from grader.host.pristine import original_stub
from grader.host.state import choose_hint
from grader.manifest import Exercise, Manifest, Topic
from grader.records import ALSO_HEADER

_BAR_WIDTH = 30
RUNNING = sys.version_info[:2]  # the Python that grades (and runs the tests)
_SHOWN_FAILURES = 3
_SUMMARY_WIDTH = 76
_STATUS_STYLE = {PASSED: "32", FAILED: "31", ERROR: "31;1", NOT_STARTED: "2", UNAVAILABLE: "2"}
# What differs between two messages about the same mistake in two tests.
_VARYING = re.compile(r"t=[0-9.]+ s|Task-\d+|0x[0-9a-f]+")


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


@dataclass(frozen=True)
class Context:
    """What the report knows beyond this run's outcomes (all optional)."""

    manifest: Manifest | None = None  # the whole kit, for "topic complete" and the end
    hints_seen: Mapping[str, set[int]] = field(default_factory=dict)
    newly_passed: frozenset[str] = frozenset()  # exercises that did not pass last time
    passed_before: frozenset[str] = frozenset()  # exercises known to pass from earlier runs
    advice: Mapping[str, list[str]] = field(default_factory=dict)  # linter lines per exercise


def render(
    outcomes: Sequence[ExerciseOutcome],
    *,
    verbose: bool,
    colour: bool,
    context: Context | None = None,
) -> str:
    """The whole report as text."""
    style = Style(colour)
    context = context or Context()
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
        lines += [f"{'':21}advice: {line}" for line in context.advice.get(outcome.exercise.id, [])]
        if outcome.status in (FAILED, ERROR) and outcome is not upcoming:
            if verbose:
                lines += _indent(_failure_details(outcome, limit=None), 6)
            else:
                lines.append(f"{'':21}{_one_line_summary(outcome)}")
    lines.append("")
    lines += _passes(outcomes, context, style, upcoming)
    if upcoming is None:
        lines.append(_all_done(outcomes, context, style))
    else:
        lines += _next_steps(upcoming, style, context, verbose)
    return "\n".join(lines) + "\n"


def next_unfinished(outcomes: Sequence[ExerciseOutcome]) -> ExerciseOutcome | None:
    """The first exercise, in teaching order, that does not pass yet (and can run here)."""
    waiting = (o for o in outcomes if o.status not in (PASSED, UNAVAILABLE))
    return next(waiting, None)


def progress_bar(earned: float, possible: int) -> str:
    """``[########----------]  40%`` for the share of points earned."""
    share = earned / possible if possible else 0.0
    filled = round(share * _BAR_WIDTH)
    return f"[{'#' * filled}{'-' * (_BAR_WIDTH - filled)}] {share:4.0%}"


def _headline(outcomes: Sequence[ExerciseOutcome]) -> str:
    earned = tidy(sum(outcome.points for outcome in outcomes))
    possible = sum(outcome.max_points for outcome in outcomes)
    passed = sum(outcome.status == PASSED for outcome in outcomes)
    return (
        f"Score: {earned}/{possible} points, {passed} of {len(outcomes)} exercises passed\n"
        f"{progress_bar(earned, possible)}"
    )


def _exercise_line(outcome: ExerciseOutcome, style: Style) -> str:
    status = style.paint(f"{outcome.status:<11}", _STATUS_STYLE[outcome.status])
    exercise = outcome.exercise
    points = f"{outcome.points:>2}/{outcome.max_points:<2}"
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
        first = (
            f"{sentence(unfinished[0], outcome.exercise)}: {unfinished[0].message.splitlines()[0]}"
        )
    return first if len(first) <= _SUMMARY_WIDTH else first[: _SUMMARY_WIDTH - 3] + "..."


def sentence(test: TestOutcome, exercise: Exercise) -> str:
    """A test's name as the sentence it was written to be, with code names in backticks.

    A parametrized test's case id follows in brackets, so that two failing cases of one
    test read as two tests.
    """
    text = test.sentence.replace(" s ", "'s ")
    for name in _code_names(exercise):
        text = re.sub(rf"\b{re.escape(name.replace('_', ' '))}\b", f"`{name}`", text)
    return test.with_case(text)


def _code_names(exercise: Exercise) -> list[str]:
    """Names with an underscore that the exercise's stub defines (functions, methods)."""
    try:
        tree = ast.parse(original_stub(exercise) or "")
    except SyntaxError:
        return []
    names = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and "_" in node.name.strip("_")
    }
    return sorted(names, key=len, reverse=True)


def next_steps(outcome: ExerciseOutcome, *, colour: bool, context: Context | None = None) -> str:
    """What to do about one unfinished exercise: its file, its failures and a hint."""
    return "\n".join(_next_steps(outcome, Style(colour), context or Context(), False)) + "\n"


def _next_steps(
    outcome: ExerciseOutcome, style: Style, context: Context, verbose: bool
) -> list[str]:
    exercise = outcome.exercise
    lines = [style.paint(f"Next: {exercise.id} — {exercise.title}", "1")]
    if outcome.status == NOT_STARTED:
        return lines + _how_to_start(outcome)
    lines.append(f"  Edit {outcome.shown_file}")
    limit = None if verbose else _SHOWN_FAILURES
    lines += _indent(_failure_details(outcome, limit=limit), 2)
    # An exercise that does not load fails every test alike: no test points to a hint.
    failing = [t.name for t in outcome.unfinished_tests] if outcome.status == FAILED else []
    seen = context.hints_seen.get(exercise.id, set())
    number = choose_hint(exercise, failing, seen)
    if number is None:
        lines.append(f"  Hints: all {len(exercise.hints)} seen; `nox -s hint -- {exercise.id}` "
                     "shows the last one again.")  # fmt: skip
    else:
        lines.append(f"  Hint: {exercise.hints[number - 1]}")
        lines.append(f"  More hints: nox -s hint -- {exercise.id}")
    return lines


def _how_to_start(outcome: ExerciseOutcome) -> list[str]:
    """The task and where to work, for an exercise nobody has touched yet."""
    exercise = outcome.exercise
    text = original_stub(exercise) or ""
    lines = [f"  Open {outcome.shown_file}; the docstring at its top is your task:"]
    try:
        docstring = ast.get_docstring(ast.parse(text)) or ""
    except SyntaxError:
        docstring = ""
    for paragraph in docstring.split("\n\n")[1:2] or docstring.split("\n\n")[:1]:
        lines += [f"    {line}" for line in textwrap.wrap(" ".join(paragraph.split()), 84)]
    todo = next((n for n, line in enumerate(text.splitlines(), 1) if "# TODO:" in line), None)
    if todo is not None:
        comment = text.splitlines()[todo - 1].strip()
        lines.append(f"  Work at line {todo}: {comment}")
    lines.append(f"  Save, then grade it: nox -s grade -- {exercise.id}")
    lines.append(f"  Stuck once you have tried? nox -s hint -- {exercise.id}")
    return lines


def _passes(
    outcomes: Sequence[ExerciseOutcome],
    context: Context,
    style: Style,
    upcoming: ExerciseOutcome | None,
) -> list[str]:
    """What each newly passed exercise taught, the topics it completed, and what comes next."""
    lines: list[str] = []
    failing = {o.exercise.id for o in outcomes if o.status != PASSED}
    passed = {o.exercise.id for o in outcomes if o.status == PASSED}
    passed |= set(context.passed_before) - failing
    for outcome in outcomes:
        exercise = outcome.exercise
        if exercise.id not in context.newly_passed or exercise.id not in passed:
            continue
        lines.append(style.paint(f"Passed: {exercise.id} — {exercise.title}", "32;1"))
        if exercise.learned:
            lines += [f"  {line}" for line in textwrap.wrap(exercise.learned, 88)]
        topic = exercise.topic
        manifest = context.manifest
        if manifest is not None and all(
            e.id in passed for e in manifest.exercises if e.topic == topic and _runs_here(e)
        ):
            lines.append(f"  Topic complete: {topic.title}.")
            following = _topic_after(manifest, topic)
            if following is not None:
                readme = f"exercises/{following.folder}/README.md"
                lines.append(f"  Next topic: {following.title}. Start by reading {readme}.")
        after = _exercise_after(manifest, exercise, passed) if manifest else None
        if after is not None and (upcoming is None or upcoming.exercise != after):
            lines.append(
                f"  Next exercise: {after.id} — {after.title} (nox -s grade -- {after.id})"
            )
        lines.append("")
    return lines


def _exercise_after(manifest: Manifest, exercise: Exercise, passed: set[str]) -> Exercise | None:
    """The first exercise after ``exercise`` in teaching order not known to pass (and gradable)."""
    later = manifest.exercises[manifest.exercises.index(exercise) + 1 :]
    earlier = manifest.exercises[: manifest.exercises.index(exercise)]
    return next((e for e in (*later, *earlier) if e.id not in passed and _runs_here(e)), None)


def _runs_here(exercise: Exercise) -> bool:
    """Whether this Python can grade ``exercise`` (others are unavailable, not counted)."""
    return exercise.min_python <= RUNNING


def _topic_after(manifest: Manifest, topic: Topic) -> Topic | None:
    index = manifest.topics.index(topic)
    return manifest.topics[index + 1] if index + 1 < len(manifest.topics) else None


def _all_done(outcomes: Sequence[ExerciseOutcome], context: Context, style: Style) -> str:
    manifest = context.manifest
    everything = manifest is not None and {o.exercise.id for o in outcomes} >= {
        e.id for e in manifest.exercises
    }
    newer = [o.exercise for o in outcomes if o.status == UNAVAILABLE]
    left = _not_counted_here(newer)
    if len(newer) == len(outcomes):
        return style.paint(f"No selected exercise can be graded on this Python.{left}", "33")
    if everything and not newer:
        return style.paint(
            "Every exercise of the kit passes. You have written coroutines, tasks, futures, "
            "locks and cancellation-safe code that a virtual clock could not fault: well "
            "done! The asyncio docs (https://docs.python.org/3/library/asyncio.html) are "
            "the place to go on from here.",
            "32;1",
        )
    if everything:
        return style.paint(f"Every exercise this Python can grade passes. Well done!{left}", "32;1")
    return style.paint(f"Every selected exercise passes. Well done!{left}", "32;1")


def _not_counted_here(newer: list[Exercise]) -> str:
    """`` x needs a newer Python ...`` for the exercises this Python cannot grade, or ""."""
    if not newer:
        return ""
    needed = ".".join(map(str, max(exercise.min_python for exercise in newer)))
    names = ", ".join(exercise.id for exercise in newer)
    later = f"Python {needed} or later"
    if len(newer) == 1:
        return f" {names} needs a newer Python and was not counted: grade it with {later}."
    return f" {names} need a newer Python and were not counted: grade them with {later}."


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
        lines.append(f"x {sentence(test, outcome.exercise)} ({test.outcome})")
        # The same mistake often fails several tests the same way; say it once.
        key = _VARYING.sub("", test.message)
        if key in seen_messages:
            lines.append("    (same problem as above)")
            continue
        seen_messages.add(key)
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


def print_report(
    outcomes: Sequence[ExerciseOutcome], *, verbose: bool, context: Context | None = None
) -> None:
    """Write the report to stdout, in colour when the terminal supports it."""
    colour = wants_colour(sys.stdout)
    sys.stdout.write(render(outcomes, verbose=verbose, colour=colour, context=context))
