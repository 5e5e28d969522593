"""Grading one submission inside an LMS autograder: Gradescope, PrairieLearn, GitHub Actions.

Every platform hands the grader a folder of the student's work and reads one results file;
this module finds the exercise files in the folder (as the batch does), grades them through
``run_exercises`` and writes the platform's format. Work with no exercise file in it is
reported as ungradable in the platform's own terms. The exit code is 0 whenever a results
file was written: the platforms treat a non-zero exit as a broken autograder, not a grade.

``github`` writes Classroom 50's ``result.json`` (schema ``classroom50/result/v1``, the one
contract its runner documents: identity fields from the runner's environment, ``score`` and
``max-score`` as whole points, one entry per exercise) and, when ``GITHUB_STEP_SUMMARY`` is
set, appends the score and a table of exercises to the workflow run's summary.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from grader.course.intake import Refused, locate, read_folder
from grader.course.prairielearn import not_gradable, prairielearn_results
from grader.host import formats
from grader.host.credit import Credit, apply, breakdown, tidy
from grader.host.outcomes import ExerciseOutcome
from grader.host.report import render
from grader.host.runner import RunOptions, run_exercises
from grader.manifest import Manifest

PLATFORMS = ("gradescope", "prairielearn", "github")


def grade_for(
    platform: str,
    submission: Path,
    results: Path,
    manifest: Manifest,
    credit: Credit,
    visibility: str = "visible",
) -> int:
    """Grade the work in ``submission`` and write ``platform``'s results file to ``results``."""
    started = time.perf_counter()
    try:
        raw, problem = read_folder(submission)
        if problem:
            raise Refused(problem)
        files, missing = locate(raw, manifest)
    except Refused as error:
        print(f"The submission could not be graded: {error}")
        formats.write_json(_ungradable(platform, str(error), manifest), results)
        return 0
    with tempfile.TemporaryDirectory(prefix="asyncio-kit-autograde-") as scratch:
        folder = Path(scratch) / "submission"
        for relative, content in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_bytes(content)
        outcomes = run_exercises(manifest.exercises, RunOptions(submission=folder))
    apply(outcomes, credit)
    report = render(outcomes, verbose=True, colour=False)
    if missing:
        report += f"\nNot handed in (graded as the original stub): {', '.join(missing)}\n"
    print(report)
    elapsed = time.perf_counter() - started
    if platform == "gradescope":
        document = formats.gradescope_results(outcomes, elapsed, visibility)
        document["output"] += "\n\n" + report
    elif platform == "prairielearn":
        document = prairielearn_results(outcomes)
        document["output"] = report
    else:
        document = classroom50_results(outcomes, os.environ)
        _write_step_summary(outcomes)
    formats.write_json(document, results)
    return 0


def _ungradable(platform: str, problem: str, manifest: Manifest) -> dict[str, Any]:
    if platform == "prairielearn":
        return not_gradable(problem)
    if platform == "gradescope":
        return {
            "score": 0.0,
            "output": f"Your submission could not be graded: {problem}",
            "visibility": "visible",
            "tests": [],
        }
    document = classroom50_results([], os.environ)
    # As a graded result counts it: an exercise this Python cannot run is worth nothing here.
    document["max-score"] = sum(exercise.points_here() for exercise in manifest.exercises)
    document["message"] = problem
    return document


def classroom50_results(
    outcomes: Sequence[ExerciseOutcome], environment: Mapping[str, str]
) -> dict[str, Any]:
    """Classroom 50's ``result.json``: identity from its runner's variables, whole points."""
    tests = [
        {
            "test-name": outcome.exercise.id,
            "passed": all(item.passed for item in breakdown(outcome)),
            "score": round(outcome.points),
            "max-score": outcome.max_points,
            "status": outcome.status,
        }
        for outcome in outcomes
    ]
    commit_url = environment.get("COMMIT_URL", "")
    return {
        "schema": "classroom50/result/v1",
        "classroom": environment.get("CLASSROOM", ""),
        "assignment": environment.get("ASSIGNMENT", ""),
        "submission": environment.get("SUBMISSION_TAG", ""),
        "commit": commit_url,
        "release": environment.get("RELEASE_URL", ""),
        "review": environment.get("REVIEW_URL") or commit_url,
        "datetime": _commit_time(),
        "graded_at": _utc(datetime.datetime.now(datetime.UTC)),
        "score": sum(test["score"] for test in tests),
        "max-score": sum(test["max-score"] for test in tests),
        "tests": tests,
    }


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _commit_time() -> str:
    """When the graded commit was made (stable across regrades), or now outside a checkout."""
    try:
        shown = subprocess.run(
            ["git", "log", "-1", "--format=%cI"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return _utc(datetime.datetime.fromisoformat(shown))
    except (OSError, subprocess.CalledProcessError, ValueError):
        return _utc(datetime.datetime.now(datetime.UTC))


def _write_step_summary(outcomes: Sequence[ExerciseOutcome]) -> None:
    """Append the score and each exercise to the GitHub Actions run summary, when there is one."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    earned = tidy(sum(outcome.points for outcome in outcomes))
    possible = sum(outcome.max_points for outcome in outcomes)
    lines = [
        f"## Score: {earned}/{possible}",
        "",
        "| exercise | status | points |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {o.exercise.id} | {o.status} | {o.points}/{o.max_points} |" for o in outcomes]
    with open(path, "a", encoding="utf-8") as summary:
        summary.write("\n".join(lines) + "\n")
