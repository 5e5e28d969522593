"""The terminal report and the machine-readable files, from one mixed attempt."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from grader import formats
from grader.outcomes import ERROR, PASSED, ExerciseOutcome
from grader.pristine import original_stub
from grader.report import progress_bar, render
from grader.runner import RunOptions, run_exercises

pytestmark = pytest.mark.timeout(120)
SCHEMAS = Path(__file__).with_name("schemas")
SELECTED = ("await_the_result", "fetch_all")


@pytest.fixture(scope="module")
def mixed_run(manifest, tmp_path_factory):
    """await_the_result solved, fetch_all edited but still sequential; JUnit written too."""
    import shutil

    from grader.manifest import KIT_ROOT

    folder = tmp_path_factory.mktemp("mixed") / "submission"
    shutil.copytree(KIT_ROOT / "solutions", folder)
    stub = original_stub(manifest.by_id("fetch_all"))
    (folder / "02_tasks" / "fetch_all.py").write_text(stub + "\n# edited\n", encoding="utf-8")
    junit = folder.parent / "junit.xml"
    exercises = tuple(manifest.by_id(exercise_id) for exercise_id in SELECTED)
    outcomes = run_exercises(exercises, RunOptions(junit_path=junit, submission=folder))
    return outcomes, junit


def test_the_plain_report_matches_its_golden_file(mixed_run, golden):
    outcomes, _ = mixed_run
    golden("report_mixed.txt", render(outcomes, verbose=False, colour=False))


def test_the_verbose_report_shows_every_failure(mixed_run):
    outcomes, _ = mixed_run
    text = render(outcomes, verbose=True, colour=False)
    assert text.count("ten one second downloads take one second") == 2


def test_colour_is_only_added_when_asked(mixed_run):
    outcomes, _ = mixed_run
    assert "\033[" not in render(outcomes, verbose=False, colour=False)
    assert "\033[32m" in render(outcomes, verbose=False, colour=True)


def test_the_exercism_file_is_valid_and_matches_its_golden_file(mixed_run, golden):
    outcomes, _ = mixed_run
    document = formats.exercism_results(outcomes)
    jsonschema.validate(document, json.loads((SCHEMAS / "exercism-v3.schema.json").read_text()))
    assert document["status"] == "fail"
    golden("exercism_mixed.json", json.dumps(document, indent=2) + "\n")


def test_the_gradescope_file_is_valid_and_scores_by_exercise(mixed_run, golden):
    outcomes, _ = mixed_run
    document = formats.gradescope_results(outcomes, execution_time=1.5)
    jsonschema.validate(document, json.loads((SCHEMAS / "gradescope.schema.json").read_text()))
    assert document["score"] == sum(o.points for o in outcomes)
    assert [t["status"] for t in document["tests"]] == ["passed", "failed"]
    golden("gradescope_mixed.json", json.dumps(document, indent=2) + "\n")


def test_the_junit_file_names_each_exercise_as_its_class(mixed_run):
    _, junit = mixed_run
    formats.name_junit_classes_by_exercise(junit)
    cases = list(ET.parse(junit).iter("testcase"))
    assert {case.get("classname") for case in cases} == set(SELECTED)
    failed = [case.get("name") for case in cases if case.find("failure") is not None]
    assert failed == ["test_ten_one_second_downloads_take_one_second"]


def test_a_run_where_nothing_ran_is_an_error_never_a_pass(manifest):
    outcome = ExerciseOutcome(
        manifest.by_id("fetch_all"), ERROR, [], "No test of this exercise ran."
    )
    document = formats.exercism_results([outcome])
    jsonschema.validate(document, json.loads((SCHEMAS / "exercism-v3.schema.json").read_text()))
    assert document["status"] == "error"
    assert document["message"] == "No test of this exercise ran."
    assert formats.gradescope_results([outcome], 0.1)["score"] == 0


def test_the_progress_bar_counts_points():
    assert progress_bar(0, 10) == "[------------------------------]   0%"
    assert progress_bar(5, 10) == "[###############---------------]  50%"
    assert progress_bar(10, 10) == "[##############################] 100%"


def test_every_selected_exercise_passing_is_congratulated(manifest):
    outcome = ExerciseOutcome(manifest.by_id("fetch_all"), PASSED, [])
    assert "Every selected exercise passes" in render([outcome], verbose=False, colour=False)
