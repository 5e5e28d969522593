"""The batch's per-student outputs: ``gradebook.csv`` and a feedback folder per student."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from grader.course.batch import Graded
from grader.course.prairielearn import prairielearn_results
from grader.course.store import write_atomically
from grader.host import formats
from grader.host.outcomes import ERROR, ExerciseOutcome
from grader.host.report import render
from grader.manifest import Exercise

# A spreadsheet runs a cell starting with one of these as a formula; names come from students.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def flags(result: Graded) -> list[str]:
    """What an instructor should look at for this student, beyond the points."""
    found: list[str] = []
    if result.submission.problem:
        found.append("not graded")
    if result.submission.missing:
        found.append(f"{len(result.submission.missing)} exercise(s) not handed in")
    for outcome in result.outcomes:
        if outcome.interference:
            found.append(f"interference in {outcome.exercise.id}: {outcome.interference}")
        elif outcome.status == ERROR and outcome.problem:
            # The run died or hung (os._exit, an endless loop), or the file was refused:
            # worth a look at the code.
            found.append(f"could not be graded: {outcome.exercise.id}")
    return found


def isolation(result: Graded) -> str:
    """The isolation the student's runs had (e.g. ``bubblewrap``), ``""`` when not graded."""
    return "+".join(sorted({o.isolation for o in result.outcomes if o.isolation}))


def gradebook_csv(results: Sequence[Graded], exercises: tuple[Exercise, ...]) -> str:
    """One row per student: identity, total, max, each exercise's points, status and flags."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    possible = sum(exercise.points for exercise in exercises)
    writer.writerow(
        [
            "student",
            "id",
            "email",
            "source",
            "total",
            "max",
            *(e.id for e in exercises),
            "status",
            "isolation",
            "flags",
            "message",
        ]
    )
    for result in results:
        submission = result.submission
        by_id = {outcome.exercise.id: outcome for outcome in result.outcomes}
        points = [by_id[e.id].points if e.id in by_id else "" for e in exercises]
        writer.writerow(
            [
                _cell(submission.student),
                _cell(submission.lms_id),
                _cell(submission.email),
                submission.origin,
                result.total if result.outcomes else 0,
                possible,
                *points,
                "error" if submission.problem else "graded",
                isolation(result),
                _cell("; ".join(flags(result))),
                _cell(submission.problem),
            ]
        )
    return buffer.getvalue()


def write_feedback(result: Graded, folder: Path, execution_time: float = 0.0) -> None:
    """The student's report as text, plus the Exercism, Gradescope and PrairieLearn files."""
    folder.mkdir(parents=True, exist_ok=True)
    submission = result.submission
    if submission.problem:
        text = f"Your submission could not be graded.\n\n{submission.problem}\n"
        write_atomically(folder / "report.txt", text)
        return
    outcomes = [_shown_in(outcome, submission.key) for outcome in result.outcomes]
    report = render(outcomes, verbose=True, colour=False)
    if submission.missing:
        report += (
            "\nNot handed in (graded as the original stub): " + ", ".join(submission.missing) + "\n"
        )
    write_atomically(folder / "report.txt", report)
    formats.write_json(formats.exercism_results(outcomes), folder / "exercism.json")
    formats.write_json(
        formats.gradescope_results(outcomes, execution_time), folder / "gradescope.json"
    )
    formats.write_json(prairielearn_results(outcomes), folder / "prairielearn.json")


def _shown_in(outcome: ExerciseOutcome, key: str) -> ExerciseOutcome:
    """``outcome`` naming its file inside the student's folder, as the report shows it."""
    return replace(outcome, file=Path(key) / outcome.exercise.relative_path)
