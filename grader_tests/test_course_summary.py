"""The class summary's figures from made-up outcomes, and the page's safety with odd names."""

from __future__ import annotations

from grader.course.batch import Graded
from grader.course.gradebook import gradebook_csv
from grader.course.intake import Submission
from grader.course.summary import class_summary, summary_html
from grader.host import outcomes as kit_outcomes
from grader.host.outcomes import FAILED, NOT_STARTED, PASSED, ExerciseOutcome


def _test(name, outcome, mistakes=()):
    message = "" if outcome == "passed" else f"{name} went wrong"
    return kit_outcomes.TestOutcome(
        f"t::{name}", name, "", outcome, message, "", 0, mistakes=tuple(mistakes)
    )


def student(name, *outcomes):
    return Graded(Submission(name, name.lower(), "folder"), list(outcomes))


def test_failing_tests_and_mistakes_come_from_work_students_did(manifest):
    fetch_all = manifest.by_id("fetch_all")
    untouched = [_test("test_order", "failed", ["never-awaited"])]
    tried = [_test("test_order", "failed", ["pending-task"]), _test("test_time", "passed")]
    results = [
        student("Ada", ExerciseOutcome(fetch_all, NOT_STARTED, untouched)),
        student("Bob", ExerciseOutcome(fetch_all, FAILED, tried)),
        student("Cy", ExerciseOutcome(fetch_all, PASSED, [_test("test_order", "passed")])),
    ]
    summary = class_summary(results, (fetch_all,), "all-or-nothing")
    [exercise] = summary["exercises"]
    assert (exercise["passed"], exercise["failed"], exercise["not_started"]) == (1, 1, 1)
    assert exercise["pass_rate"] == 0.333
    assert exercise["pass_rate_of_tried"] == 0.5
    assert exercise["failing_tests"] == [
        {"test": "test_order", "sentence": "order", "students": 1,
         "example": "test_order went wrong"}
    ]  # fmt: skip
    assert [m["kind"] for m in exercise["mistakes"]] == ["pending-task"]
    assert [(m["kind"], m["students"]) for m in summary["mistakes"]] == [("pending-task", 1)]
    assert (summary["mean"], summary["median"]) == (3.33, 0)


def test_names_from_students_cannot_inject_markup_or_formulas(manifest):
    fetch_all = manifest.by_id("fetch_all")
    hostile = '<script>alert("x")</script>'
    refused = Graded(Submission(hostile, "x", "folder", problem=f"found {hostile}"), [])
    formula = student('=HYPERLINK("http://evil")', ExerciseOutcome(fetch_all, PASSED, []))
    summary = class_summary([refused, formula], (fetch_all,), "all-or-nothing")
    page = summary_html(summary)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    rows = gradebook_csv([refused, formula], (fetch_all,)).splitlines()
    assert rows[2].startswith("\"'=HYPERLINK(")
