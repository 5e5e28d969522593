"""Machine-readable results: Exercism's test-runner v3 shape, Gradescope's results.json, JUnit.

All three are written from the same outcomes as the terminal report, so an instructor's
tools and the learner see the same grade.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from grader.host.credit import PER_TEST, breakdown, tidy
from grader.host.outcomes import ERROR, PASSED, ExerciseOutcome, TestOutcome

# Exercism truncates a test's output at 500 characters; doing it here keeps files small too,
# and caps what learner code can push into a student-visible file.
_EXERCISM_OUTPUT_LIMIT = 500
_MESSAGE_LIMIT = 4000
_TRUNCATED = "\n[truncated]"
_EXERCISM_STATUS = {"passed": "pass", "failed": "fail", "error": "error", "skipped": "fail"}


def exercism_results(outcomes: Sequence[ExerciseOutcome]) -> dict[str, Any]:
    """Results in the Exercism test-runner interface, version 3, plus an ``exercises`` list.

    Each test's ``task_id`` is its exercise's position in the manifest (1-based), so the
    tests group per exercise; ``exercises`` adds each exercise's status and points.
    """
    tests: list[dict[str, Any]] = []
    for task_id, outcome in enumerate(outcomes, start=1):
        tests += [_exercism_test(test, task_id) for test in outcome.tests]
    # Exercism reserves "error" for runs where no test could run properly. "pass" needs
    # every exercise passed: an exercise that crashed has no test entries to fail.
    if not tests or all(test["status"] == "error" for test in tests):
        status = "error"
    elif all(outcome.status == PASSED for outcome in outcomes):
        status = "pass"
    else:
        status = "fail"
    document: dict[str, Any] = {"version": 3, "status": status, "tests": tests}
    if outcomes and outcomes[0].isolation:
        document["isolation"] = outcomes[0].isolation
    if status == "error":
        problems = [o.problem for o in outcomes if o.problem]
        problems += dict.fromkeys(test["message"] for test in tests if test["message"])
        document["message"] = "\n".join(problems or ["No test ran."])
    document["exercises"] = [
        {
            "id": outcome.exercise.id,
            "task_id": task_id,
            "topic": outcome.exercise.topic.id,
            "status": outcome.status,
            "points": outcome.points,
            "max_points": outcome.max_points,
            "message": capped(_exercise_message(outcome), _MESSAGE_LIMIT) or None,
        }
        for task_id, outcome in enumerate(outcomes, start=1)
    ]
    return document


def _exercise_message(outcome: ExerciseOutcome) -> str:
    """Why an exercise is what it is: its problem, or for an error the first test's message."""
    if outcome.problem or outcome.status != ERROR:
        return outcome.problem
    return next((test.message for test in outcome.unfinished_tests if test.message), "")


def _exercism_test(test: TestOutcome, task_id: int) -> dict[str, Any]:
    passed = test.outcome == "passed"
    return {
        "name": test.title,
        "status": _EXERCISM_STATUS[test.outcome],
        "message": None if passed else capped(test.message, _MESSAGE_LIMIT),
        "output": capped(test.output, _EXERCISM_OUTPUT_LIMIT) or None,
        "test_code": test.test_code,
        "task_id": task_id,
    }


def gradescope_results(
    outcomes: Sequence[ExerciseOutcome], execution_time: float, visibility: str = "visible"
) -> dict[str, Any]:
    """Gradescope's results.json: one Gradescope test per exercise, scored by its points.

    Under per-test credit each kit test is its own Gradescope test with its share of the
    points. ``visibility`` is every test's Gradescope visibility (``hidden``,
    ``after_due_date``, ``after_published`` or ``visible``).
    """
    tests: list[dict[str, Any]] = []
    for number, outcome in enumerate(outcomes, start=1):
        if outcome.credit is not None and outcome.credit.mode == PER_TEST:
            tests += _gradescope_per_test(outcome, number, visibility)
            continue
        exercise = outcome.exercise
        lines = [f"{outcome.status}: {outcome.passed_count}/{len(outcome.tests)} tests pass"]
        if outcome.problem:
            lines.append(outcome.problem)
        for test in outcome.unfinished_tests:
            lines.append(f"x {test.title} ({test.outcome})\n{test.message}")
        tests.append(
            {
                "name": f"{exercise.id}: {exercise.title}",
                "number": str(number),
                "score": float(outcome.points),
                "max_score": float(outcome.max_points),
                "status": "passed" if outcome.status == PASSED else "failed",
                "output": "\n".join(lines),
                "tags": [exercise.topic.id],
                "visibility": visibility,
            }
        )
    errors = [outcome for outcome in outcomes if outcome.status == ERROR]
    earned = tidy(sum(outcome.points for outcome in outcomes))
    summary = f"{earned}/{sum(o.max_points for o in outcomes)}"
    note = f"; {len(errors)} exercise(s) could not be graded" if errors else ""
    return {
        "score": float(sum(outcome.points for outcome in outcomes)),
        "execution_time": round(execution_time, 3),
        "output": f"Score {summary}{note}.",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def capped(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, saying so when it was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - len(_TRUNCATED)] + _TRUNCATED


def _gradescope_per_test(
    outcome: ExerciseOutcome, number: int, visibility: str
) -> list[dict[str, Any]]:
    """One Gradescope test per kit test of ``outcome``, each scored by its share."""
    entries = []
    for index, item in enumerate(breakdown(outcome), start=1):
        if item.test is None:
            output = outcome.problem or f"{outcome.status}: no test of this exercise ran"
        else:
            output = f"{outcome.status}: {item.test.outcome}\n{item.test.message}".rstrip()
        entries.append(
            {
                "name": item.name,
                "number": f"{number}.{index}",
                "score": float(item.earned),
                "max_score": float(item.worth),
                "status": "passed" if item.passed else "failed",
                "output": output,
                "tags": [outcome.exercise.topic.id, outcome.exercise.id],
                "visibility": visibility,
            }
        )
    return entries


def write_json(document: dict[str, Any], path: Path) -> None:
    """Write ``document`` as indented JSON, creating the folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def write_junit(outcomes: Sequence[ExerciseOutcome], path: Path) -> None:
    """A JUnit XML file written from the outcomes, so it always agrees with the report.

    One ``testsuite`` per exercise (its id as the name and as each test's ``classname``);
    a failed test carries the learner message, an exercise that could not be graded an
    ``error`` element with its problem. Written from the verdict rather than by pytest, so a
    run that died and was re-run still yields one complete, fresh file.
    """
    suites = ET.Element("testsuites")
    for outcome in outcomes:
        exercise = outcome.exercise
        suite = ET.SubElement(suites, "testsuite", name=exercise.id)
        failures = errors = 0
        for test in outcome.tests:
            # The node id's last part keeps a parametrized test's id: each case is unique.
            case = ET.SubElement(
                suite, "testcase", classname=exercise.id, name=test.nodeid.rsplit("::", 1)[-1],
                time=f"{test.duration:.3f}",
            )  # fmt: skip
            if test.outcome != "passed":
                kind = "error" if test.outcome == "error" else "failure"
                failures += kind == "failure"
                errors += kind == "error"
                message = capped(test.message or "(no message)", _MESSAGE_LIMIT)
                problem = ET.SubElement(case, kind, message=message.splitlines()[0])
                problem.text = message
        if outcome.problem and not outcome.tests:
            errors += 1
            case = ET.SubElement(suite, "testcase", classname=exercise.id, name="grading")
            message = capped(outcome.problem, _MESSAGE_LIMIT)
            problem = ET.SubElement(case, "error", message=message.splitlines()[0])
            problem.text = message
        suite.set("tests", str(len(suite)))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
