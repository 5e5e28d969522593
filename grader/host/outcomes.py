"""Per-exercise outcomes, folded from the plugin's per-test records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.host.pristine import is_untouched
from grader.manifest import Exercise, shown_path

if TYPE_CHECKING:
    from grader.host.credit import Credit

PASSED, FAILED, NOT_STARTED, ERROR = "passed", "failed", "not started", "error"


@dataclass(frozen=True)
class TestOutcome:
    """One test's result as the plugin recorded it."""

    nodeid: str
    name: str
    description: str
    outcome: str
    message: str
    output: str
    duration: float
    test_code: str = ""
    # Kinds of asyncio mistakes the detectors caught in this test (never-awaited, ...).
    mistakes: tuple[str, ...] = ()

    @property
    def sentence(self) -> str:
        """The test's name as the sentence it was written to be."""
        return self.name.removeprefix("test_").replace("_", " ")


@dataclass
class ExerciseOutcome:
    """How one exercise did: its status, points and tests."""

    exercise: Exercise
    status: str
    tests: list[TestOutcome] = field(default_factory=list)
    problem: str = ""  # why the exercise is an error when no single test says it
    file: Path | None = None  # the file that was graded, when known
    # What the exercise's code was caught touching (pytest, the grader, asyncio, ...): an
    # exercise caught interfering is an error worth 0 points, whatever its tests said.
    interference: str = ""
    # How the run was isolated from the grading machine (bubblewrap, fallback, none).
    isolation: str = ""
    # How points are earned (grader.host.credit); None is the default, all or nothing.
    credit: Credit | None = None

    @property
    def shown_file(self) -> str:
        """The graded file as a learner would type it (relative to the kit when inside it)."""
        if self.file is None:
            return str(self.exercise.path_in("exercises"))
        return shown_path(self.file)

    @property
    def points(self) -> float:
        """Points earned: all of them for a passed exercise, or what the credit rule gives."""
        if self.credit is None:
            return self.exercise.points if self.status == PASSED else 0
        return self.credit.points(self)

    @property
    def unfinished_tests(self) -> list[TestOutcome]:
        """The tests that did not pass."""
        return [test for test in self.tests if test.outcome not in ("passed", "skipped")]

    @property
    def passed_count(self) -> int:
        """How many tests passed."""
        return sum(test.outcome == "passed" for test in self.tests)


def read_records(path: Path) -> dict[str, Any]:
    """The plugin's results file."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def fold(
    exercises: tuple[Exercise, ...],
    records: dict[str, Any],
    tree: Path,
    attempt: str = "exercises",
) -> list[ExerciseOutcome]:
    """Each exercise's outcome from the per-test records of one pytest run.

    Fails closed: an exercise none of whose tests ran is an error, never a pass.
    """
    outcomes: list[ExerciseOutcome] = []
    for exercise in exercises:
        tests = [
            TestOutcome(
                nodeid=record["nodeid"],
                name=record["test"],
                description=record["description"],
                outcome=record["outcome"],
                message=record["message"],
                output=record["output"],
                duration=record["duration"],
                test_code=record.get("test_code", ""),
                mistakes=tuple(record.get("mistakes", ())),
            )
            for record in records.get("tests", [])
            if record["exercise"] == exercise.id and record["attempt"] in (attempt, "")
        ]
        broken = [e for e in records.get("collection_errors", []) if e["exercise"] == exercise.id]
        outcome = _judge(exercise, tests, broken, tree)
        outcome.file = tree / exercise.relative_path
        outcomes.append(outcome)
    return outcomes


def _judge(
    exercise: Exercise, tests: list[TestOutcome], broken: list[dict[str, str]], tree: Path
) -> ExerciseOutcome:
    if broken:
        problem = f"The tests of this exercise could not be loaded:\n{broken[0]['message']}"
        return ExerciseOutcome(exercise, ERROR, tests, problem)
    ran = [test for test in tests if test.outcome != "skipped"]
    if not ran:
        return ExerciseOutcome(exercise, ERROR, tests, "No test of this exercise ran.")
    if any(test.outcome == "error" for test in ran):
        return ExerciseOutcome(exercise, ERROR, tests)
    if all(test.outcome == "passed" for test in ran):
        return ExerciseOutcome(exercise, PASSED, tests)
    if is_untouched(exercise, tree):
        return ExerciseOutcome(exercise, NOT_STARTED, tests)
    return ExerciseOutcome(exercise, FAILED, tests)


def crashed(exercises: tuple[Exercise, ...], why: str) -> list[ExerciseOutcome]:
    """Outcomes for exercises whose test run died before writing any results."""
    return [ExerciseOutcome(exercise, ERROR, [], why) for exercise in exercises]
