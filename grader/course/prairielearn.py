"""PrairieLearn external grading: its results format and the entrypoint of a grading job.

PrairieLearn runs the course's grading command in a container with the student's files in
``/grade/student`` and reads ``/grade/results/results.json``: ``score`` from 0 to 1, an
optional ``tests`` list (``name``, ``points``, ``max_points``, ``message``, ``output``) and
``gradable: false`` for work that could not be graded at all (no points, no attempt used).
The root is ``/grade`` unless ``PL_GRADE_ROOT`` names another (the self-tests use that).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from grader.host.credit import breakdown, tidy
from grader.host.outcomes import ERROR, ExerciseOutcome


def prairielearn_results(outcomes: Sequence[ExerciseOutcome]) -> dict[str, Any]:
    """PrairieLearn's results.json for graded work: one test per exercise, or per kit test."""
    possible = sum(outcome.max_points for outcome in outcomes)
    earned = tidy(sum(outcome.points for outcome in outcomes))
    tests = []
    for outcome in outcomes:
        for item in breakdown(outcome):
            message = outcome.problem or (item.test.message if item.test else "")
            if not message and not item.passed:
                message = "; ".join(
                    f"{test.sentence}: {test.message.splitlines()[0] if test.message else ''}"
                    for test in outcome.unfinished_tests[:3]
                )
            tests.append(
                {
                    "name": item.name,
                    "description": outcome.exercise.title,
                    "points": item.earned,
                    "max_points": item.worth,
                    "message": message,
                    "output": item.test.output if item.test else "",
                }
            )
    errors = sum(outcome.status == ERROR for outcome in outcomes)
    note = f"; {errors} exercise(s) could not be graded" if errors else ""
    return {
        "gradable": True,
        "score": round(earned / possible, 4) if possible else 0.0,
        "message": f"Score {earned}/{possible}{note}.",
        "tests": tests,
    }


def not_gradable(problem: str) -> dict[str, Any]:
    """PrairieLearn's results.json for work that could not be graded at all."""
    return {"gradable": False, "score": 0.0, "message": problem, "format_errors": [problem]}
