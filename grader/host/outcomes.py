"""Per-exercise and per-test outcomes: what ``grader.host.verdict`` decides, for every output."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grader.manifest import Exercise, shown_path

if TYPE_CHECKING:
    from grader.host.credit import Credit

PASSED, FAILED, NOT_STARTED, ERROR = "passed", "failed", "not started", "error"
# An exercise this Python cannot run (it needs a newer asyncio); it is not counted.
UNAVAILABLE = "unavailable"


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

    @property
    def case(self) -> str:
        """A parametrized test's case id (``fails_first``), or "" for a plain test."""
        tail = self.nodeid.rsplit("::", 1)[-1]
        return tail[tail.index("[") + 1 : -1] if tail.endswith("]") and "[" in tail else ""

    @property
    def title(self) -> str:
        """The sentence with the case id when there is one: each case has its own name."""
        return self.with_case(self.sentence)

    def with_case(self, text: str) -> str:
        """``text`` (a name of this test) followed by its case id, when it has one."""
        return f"{text} [{self.case}]" if self.case else text


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
    # What in a submitted file reaches for the grader's internals, for an instructor to
    # read (grader.host.review); the grade stands as the tests decided it.
    review: str = ""
    # How points are earned (grader.host.credit); None is the default, all or nothing.
    credit: Credit | None = None

    @property
    def shown_file(self) -> str:
        """The graded file as a learner would type it (relative to the kit when inside it)."""
        if self.file is None:
            return str(self.exercise.path_in("exercises"))
        return shown_path(self.file)

    @property
    def max_points(self) -> int:
        """What the exercise is worth here: nothing when this Python cannot run it."""
        return 0 if self.status == UNAVAILABLE else self.exercise.points

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


def unavailable(exercise: Exercise, running: tuple[int, int]) -> ExerciseOutcome:
    """The outcome of an exercise that needs a newer Python than ``running``."""
    needed = ".".join(map(str, exercise.min_python))
    here = ".".join(map(str, running))
    problem = f"needs Python {needed} (this is Python {here}); not counted"
    return ExerciseOutcome(exercise, UNAVAILABLE, [], problem)


def crashed(exercises: tuple[Exercise, ...], why: str) -> list[ExerciseOutcome]:
    """Outcomes for exercises whose test run died before writing any results."""
    return [ExerciseOutcome(exercise, ERROR, [], why) for exercise in exercises]
