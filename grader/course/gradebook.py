"""The batch's per-student outputs: ``gradebook.csv``, LMS import files, feedback folders.

Beside ``gradebook.csv``, the students who came from Canvas or Moodle get a file that LMS
imports as it is, with the total as the grade. Facts they rest on:

- Canvas Gradebook import, ``app/models/gradebook_importer.rb`` in
  https://github.com/instructure/canvas-lms (read in an older version): the header must start
  Student, ID, [SIS User ID, SIS Login ID,] Section; a row whose first cell is "Points
  Possible" sets points possible; a row is matched by ID (the Canvas user id) before SIS
  ids and name; an assignment column titled "Name (id)" fills that assignment, else one with
  that exact title, else a new assignment is created; a blank cell is no grade.
- https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades:
  the same required columns, and that a new assignment column creates an assignment.
- Moodle's offline grading worksheet upload,
  https://github.com/moodle/moodle/blob/main/mod/assign/feedback/offline/importgradeslib.php
  and ``locallib.php`` beside it: only the columns Identifier, Grade and Last modified
  (grade) are required, found by their (site language) names, plus one per feedback plugin
  such as Feedback comments; "Participant N" is matched through N, the participant id; an
  empty grade, one above the assignment's maximum or an older "Last modified (grade)" than
  Moodle's own is skipped.
- https://github.com/moodle/moodle/blob/main/mod/assign/locallib.php: "Download all
  submissions" names files ``Full Name_N_...`` with that same participant id N.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from grader.course.batch import Graded
from grader.course.prairielearn import prairielearn_results
from grader.course.store import write_atomically
from grader.host import formats
from grader.host.outcomes import ERROR, ExerciseOutcome
from grader.host.report import render
from grader.manifest import Exercise

CANVAS_IMPORT, MOODLE_WORKSHEET = "canvas-import.csv", "moodle-worksheet.csv"
# Canvas creates an assignment of this name on import (or fills one with exactly this title).
DEFAULT_CANVAS_ASSIGNMENT = "Asyncio kit"
_LMS_FILES = {"canvas": CANVAS_IMPORT, "moodle": MOODLE_WORKSHEET}

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
        if outcome.review:
            found.append(f"read the code of {outcome.exercise.id}: it {outcome.review}")
    return found


def isolation(result: Graded) -> str:
    """The isolation the student's runs had (e.g. ``bubblewrap``), ``""`` when not graded."""
    return "+".join(sorted({o.isolation for o in result.outcomes if o.isolation}))


def gradebook_csv(results: Sequence[Graded], exercises: tuple[Exercise, ...]) -> str:
    """One row per student: identity, total, max, each exercise's points, status and flags."""
    possible = _possible(exercises)
    rows: list[list[object]] = [
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
    ]
    for result in results:
        submission = result.submission
        by_id = {outcome.exercise.id: outcome for outcome in result.outcomes}
        points = [by_id[e.id].points if e.id in by_id else "" for e in exercises]
        rows.append(
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
    return _csv_text(rows)


def lms_students(results: Sequence[Graded]) -> dict[str, list[Graded]]:
    """The import file to write for each LMS the class came from, with its students."""
    by_file: dict[str, list[Graded]] = defaultdict(list)
    for result in results:
        name = _LMS_FILES.get(result.submission.origin)
        if name:
            by_file[name].append(result)
    return dict(by_file)


def lms_imports(
    results: Sequence[Graded],
    exercises: tuple[Exercise, ...],
    graded_at: datetime,
    canvas_assignment: str = "",
) -> dict[str, str]:
    """Each LMS import file's name and text, for the students who came from that LMS."""
    files: dict[str, str] = {}
    for name, students in lms_students(results).items():
        if name == CANVAS_IMPORT:
            files[name] = canvas_import_csv(students, exercises, canvas_assignment)
        else:
            files[name] = moodle_worksheet_csv(students, exercises, graded_at)
    return files


def canvas_import_csv(
    results: Sequence[Graded], exercises: tuple[Exercise, ...], assignment: str = ""
) -> str:
    """Canvas's Gradebook import: one assignment column, a Points Possible row, then students.

    ``assignment`` is the column's title, ``"Name (id)"`` to fill an existing assignment.
    SIS ids and the section are left blank: Canvas matches each row by its ID first.
    """
    title = assignment or DEFAULT_CANVAS_ASSIGNMENT
    rows: list[list[object]] = [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title],
        ["Points Possible", "", "", "", "", _possible(exercises)],
    ]
    rows += [
        [_cell(r.submission.student), _cell(r.submission.lms_id), "", "", "", _grade(r)]
        for r in results
    ]
    return _csv_text(rows)


def moodle_worksheet_csv(
    results: Sequence[Graded], exercises: tuple[Exercise, ...], graded_at: datetime
) -> str:
    """Moodle's offline grading worksheet, for the assignment's "Upload grading worksheet".

    Only the columns the upload reads, plus the name, e-mail and maximum for a reader.
    ``graded_at`` is the grades' "Last modified (grade)": Moodle keeps a grade changed in
    Moodle after it unless the upload is told to overwrite.
    """
    possible = _possible(exercises)
    rows: list[list[object]] = [
        [
            "Identifier",
            "Full name",
            "Email address",
            "Grade",
            "Maximum Grade",
            "Last modified (grade)",
            "Feedback comments",
        ]
    ]
    for result in results:
        submission = result.submission
        grade = _grade(result)
        comment = (
            "Could not be graded; see your report"
            if submission.problem
            else f"{grade}/{possible} points; see your report"
        )
        rows.append(
            [
                _cell(f"Participant {submission.lms_id}"),
                _cell(submission.student),
                _cell(submission.email),
                grade,
                possible,
                graded_at.isoformat(timespec="seconds"),
                comment,
            ]
        )
    return _csv_text(rows)


def _csv_text(rows: list[list[object]]) -> str:
    """``rows`` as CSV text, one line each."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _possible(exercises: tuple[Exercise, ...]) -> int:
    """Points possible, as every report counts them: exercises this Python runs."""
    return sum(exercise.points_here() for exercise in exercises)


def _grade(result: Graded) -> str:
    """The total as an LMS grade: blank (no grade, left as it is) for work not graded."""
    return "" if result.submission.problem else str(result.total)


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
