"""How an exercise's points are earned: all or nothing (the default) or split over its tests.

The rule lives here once; the report, the gradebook and every results format read it through
``ExerciseOutcome.points`` and :func:`breakdown`. An instructor picks it in the manifest::

    [grading]
    credit = "per-test"          # or "all-or-nothing", the default

    [[exercise]]
    id = "fetch_all"
    ...
    weights = { test_ten_one_second_downloads_take_one_second = 2 }

or on the command line (``--credit per-test``), which wins over the manifest.

Per-test credit splits an exercise's points over the tests that ran (a skipped test counts
neither way), in proportion to their weights (1 unless given). It fails closed as the verdict
does: an exercise in error (it does not load, a test errored, it was caught interfering) or
not started earns nothing, whatever some of its tests said.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from grader.host.outcomes import FAILED, PASSED, ExerciseOutcome, TestOutcome
from grader.manifest import KIT_ROOT, MANIFEST_PATH, Manifest, ManifestError

ALL_OR_NOTHING, PER_TEST = "all-or-nothing", "per-test"
CREDIT_MODES = (ALL_OR_NOTHING, PER_TEST)
_TEST_DEFINITION = re.compile(r"^(?:async\s+)?def\s+(test_\w+)", re.MULTILINE)


@dataclass(frozen=True)
class Credit:
    """The credit rule: its mode and the per-test weights (exercise id -> test name -> weight)."""

    mode: str = ALL_OR_NOTHING
    weights: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def weight(self, exercise_id: str, test_name: str) -> float:
        """A test's weight within its exercise."""
        return self.weights.get(exercise_id, {}).get(test_name, 1.0)

    def points(self, outcome: ExerciseOutcome) -> float:
        """The points ``outcome`` earns under this rule."""
        if outcome.status == PASSED:
            return outcome.exercise.points
        if self.mode == ALL_OR_NOTHING:
            return 0
        return tidy(sum(earned for _, earned, _ in self.test_points(outcome)))

    def test_points(self, outcome: ExerciseOutcome) -> list[tuple[TestOutcome, float, float]]:
        """Each test that ran, with the points it earned and the points it was worth.

        Under all-or-nothing a test's share is only earned when the whole exercise passes.
        """
        counted = [test for test in outcome.tests if test.outcome != "skipped"]
        weights = [self.weight(outcome.exercise.id, test.name) for test in counted]
        earning = outcome.status == PASSED or (self.mode == PER_TEST and outcome.status == FAILED)
        return [
            (test, worth if earning and test.outcome == "passed" else 0, worth)
            for test, worth in zip(counted, _split(outcome.exercise.points, weights), strict=True)
        ]


def _split(points: float, weights: list[float]) -> list[float]:
    """``points`` shared in proportion to ``weights``, in hundredths that add up to ``points``.

    Each share is its exact part rounded down to a hundredth; the hundredths left over go
    to the shares that lost the most in rounding (the first of equals first), so that 10
    points over 14 tests make 10, not 14 times 0.71.
    """
    if not weights:
        return []
    hundredths = round(points * 100)
    exact = [hundredths * weight / sum(weights) for weight in weights]
    shares = [int(part) for part in exact]
    by_loss = sorted(range(len(exact)), key=lambda i: shares[i] - exact[i])
    for i in by_loss[: hundredths - sum(shares)]:
        shares[i] += 1
    return [tidy(share / 100) for share in shares]


DEFAULT_CREDIT = Credit()


@dataclass(frozen=True)
class Item:
    """One line of a platform's breakdown: an exercise, or one test under per-test credit."""

    name: str
    earned: float
    worth: float
    passed: bool
    outcome: ExerciseOutcome
    test: TestOutcome | None = None


def breakdown(outcome: ExerciseOutcome) -> list[Item]:
    """What a platform lists for ``outcome``: the exercise as one item, or one item per test.

    Per-test credit gives one item per test that ran (Gradescope, PrairieLearn and Classroom
    50 then show each test's own score); an exercise none of whose tests ran stays one item.
    """
    credit = outcome.credit or DEFAULT_CREDIT
    exercise = outcome.exercise
    shares = credit.test_points(outcome) if credit.mode == PER_TEST else []
    if not shares:
        passed = outcome.status == PASSED
        name = f"{exercise.id}: {exercise.title}"
        return [Item(name, outcome.points, exercise.points, passed, outcome)]
    return [
        Item(
            f"{exercise.id}: {test.title}",
            earned,
            worth,
            test.outcome == "passed",
            outcome,
            test,
        )
        for test, earned, worth in shares
    ]


def tidy(points: float) -> float:
    """``points`` rounded to hundredths, as a whole number when it is one (5, not 5.0)."""
    rounded = round(points, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def apply(outcomes: Iterable[ExerciseOutcome], credit: Credit) -> None:
    """Grade ``outcomes`` under ``credit`` from now on."""
    for outcome in outcomes:
        outcome.credit = credit


def load_credit(manifest: Manifest, mode: str | None = None, path: Path = MANIFEST_PATH) -> Credit:
    """The credit rule from the manifest's ``[grading]`` table and weights; ``mode`` wins.

    Raises ManifestError for an unknown mode, a weight that is not a positive number, or a
    weight naming a test its exercise does not have.
    """
    with path.open("rb") as file:
        data = tomllib.load(file)
    chosen = mode or data.get("grading", {}).get("credit", ALL_OR_NOTHING)
    if chosen not in CREDIT_MODES:
        raise ManifestError(f"credit must be one of {', '.join(CREDIT_MODES)}; got {chosen!r}")
    weights: dict[str, dict[str, float]] = {}
    for entry in data.get("exercise", []):
        given = entry.get("weights", {})
        if not given:
            continue
        exercise = manifest.by_id(entry["id"])
        source = (KIT_ROOT / exercise.test_path).read_text(encoding="utf-8")
        known = set(_TEST_DEFINITION.findall(source))
        for name, weight in given.items():
            if name not in known:
                raise ManifestError(f"exercise {exercise.id!r}: weights name no test {name!r}")
            if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
                raise ManifestError(
                    f"exercise {exercise.id!r}: weight of {name} must be a positive number"
                )
        weights[exercise.id] = {name: float(weight) for name, weight in given.items()}
    return Credit(chosen, weights)
