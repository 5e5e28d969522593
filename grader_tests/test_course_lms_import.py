"""The Canvas and Moodle import files, from a made-up mixed class graded without running tests.

The class: two Canvas students (one with a name a spreadsheet would run as a formula), one
Canvas submission that could not be graded, two Moodle students (one not graded) and one
student handed in as a plain folder, who belongs in neither file.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from grader.course.batch import BatchOptions, Graded
from grader.course.commands import write_outputs
from grader.course.gradebook import (
    CANVAS_IMPORT,
    DEFAULT_CANVAS_ASSIGNMENT,
    MOODLE_WORKSHEET,
    canvas_import_csv,
    gradebook_csv,
    lms_imports,
    moodle_worksheet_csv,
)
from grader.course.intake import Submission
from grader.host.credit import Credit
from grader.host.outcomes import FAILED, PASSED, ExerciseOutcome

GRADED_AT = datetime(2026, 3, 4, 15, 30, 5, tzinfo=UTC)
HOSTILE = '=HYPERLINK("http://evil")'
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = [
    "Identifier",
    "Full name",
    "Email address",
    "Grade",
    "Maximum Grade",
    "Last modified (grade)",
    "Feedback comments",
]


@pytest.fixture(scope="module")
def exercises(manifest):
    return (manifest.by_id("fetch_all"), manifest.by_id("await_the_result"))


@pytest.fixture(scope="module")
def results(exercises):
    def graded(name, origin, lms_id, statuses, email=""):
        submission = Submission(name, f"{origin}-{lms_id}", origin, lms_id, email)
        outcomes = [
            ExerciseOutcome(e, status) for e, status in zip(exercises, statuses, strict=True)
        ]
        return Graded(submission, outcomes)

    def refused(name, origin, lms_id):
        problem = "no exercise file found"
        return Graded(Submission(name, f"{origin}-{lms_id}", origin, lms_id, problem=problem), [])

    return [
        graded("adalovelace", "canvas", "501", (PASSED, FAILED)),
        graded(HOSTILE, "canvas", "502", (PASSED, PASSED)),
        refused("cyempty", "canvas", "503"),
        graded("Bob Moodle", "moodle", "77", (FAILED, PASSED), "bob@uni.example"),
        refused("Dee Moodle", "moodle", "78"),
        graded("Folder Student", "folder", "", (PASSED, PASSED)),
    ]


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def gradebook_totals(results, exercises):
    """The gradebook's total for each (LMS id) of the graded students."""
    table = list(csv.DictReader(io.StringIO(gradebook_csv(results, exercises))))
    return {row["id"]: float(row["total"]) for row in table if row["status"] == "graded"}


def test_canvas_file_has_the_import_header_a_points_possible_row_and_its_students_only(
    results, exercises
):
    header, points, *students = rows(canvas_import_csv(results[:3], exercises, "Kit (12345)"))
    assert header == [*CANVAS_HEADER, "Kit (12345)"]
    assert points == ["Points Possible", "", "", "", "", "15"]
    assert [row[1] for row in students] == ["501", "502", "503"]
    assert all(len(row) == len(header) for row in students)


def test_canvas_column_without_an_assignment_is_the_default_title(results, exercises):
    header = rows(canvas_import_csv(results[:1], exercises))[0]
    assert header[-1] == DEFAULT_CANVAS_ASSIGNMENT


def test_moodle_file_has_the_worksheet_header_and_participant_identifiers(results, exercises):
    header, *students = rows(moodle_worksheet_csv(results[3:5], exercises, GRADED_AT))
    assert header == MOODLE_HEADER
    bob, dee = students
    assert bob == [
        "Participant 77",
        "Bob Moodle",
        "bob@uni.example",
        "5",
        "15",
        "2026-03-04T15:30:05+00:00",
        "5/15 points; see your report",
    ]
    assert dee[0] == "Participant 78"
    assert dee[6] == "Could not be graded; see your report"


def test_each_lms_gets_one_row_per_student_from_it_and_the_folder_student_none(results, exercises):
    files = lms_imports(results, exercises, GRADED_AT)
    assert sorted(files) == sorted([CANVAS_IMPORT, MOODLE_WORKSHEET])
    canvas_ids = [row[1] for row in rows(files[CANVAS_IMPORT])[2:]]
    moodle_ids = [row[0] for row in rows(files[MOODLE_WORKSHEET])[1:]]
    assert canvas_ids == ["501", "502", "503"]
    assert moodle_ids == ["Participant 77", "Participant 78"]


def test_grades_are_the_gradebook_totals_and_work_not_graded_gets_no_grade(results, exercises):
    files = lms_imports(results, exercises, GRADED_AT)
    expected = gradebook_totals(results, exercises)
    canvas = {row[1]: row[5] for row in rows(files[CANVAS_IMPORT])[2:]}
    moodle = {
        row[0].removeprefix("Participant "): row[3] for row in rows(files[MOODLE_WORKSHEET])[1:]
    }
    assert {lms_id: float(grade) for lms_id, grade in canvas.items() if grade} == {
        "501": expected["501"],
        "502": expected["502"],
    }
    assert {lms_id: float(grade) for lms_id, grade in moodle.items() if grade} == {
        "77": expected["77"]
    }
    # Blank, not 0: both LMSs read a blank cell as "no grade" and leave the student alone.
    assert canvas["503"] == ""
    assert moodle["78"] == ""


def test_names_starting_like_a_formula_are_neutralised(results, exercises):
    files = lms_imports(results, exercises, GRADED_AT)
    names = [row[0] for row in rows(files[CANVAS_IMPORT])[2:]]
    assert names[1] == "'" + HOSTILE
    assert not any(
        cell.startswith("=") for text in files.values() for row in rows(text) for cell in row
    )


def test_grade_all_outputs_write_the_files_of_the_lms_present_only(results, exercises, tmp_path):
    mixed = BatchOptions(tmp_path / "mixed", exercises, Credit())
    write_outputs(results, mixed, canvas_assignment="Kit (9)")
    assert rows((mixed.out / CANVAS_IMPORT).read_text())[0][-1] == "Kit (9)"
    assert (mixed.out / MOODLE_WORKSHEET).is_file()

    folders = BatchOptions(tmp_path / "folders", exercises, Credit())
    write_outputs(results[5:], folders)
    assert (folders.out / "gradebook.csv").is_file()
    assert not (folders.out / CANVAS_IMPORT).exists()
    assert not (folders.out / MOODLE_WORKSHEET).exists()
