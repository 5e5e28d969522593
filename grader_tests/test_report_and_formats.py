"""The terminal report and the machine-readable files, from fixture attempts.

Each scenario grades await_the_result and fetch_all from a submission built from the
reference solutions with fetch_all (or both) changed; every output is compared with its
golden file (UPDATE_GOLDEN=1 rewrites them) and the JSON files are validated against
schemas written from Exercism's and Gradescope's specifications.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from grader.host import formats
from grader.host import outcomes as recorded
from grader.host.credit import PER_TEST, Credit
from grader.host.outcomes import ERROR, FAILED, PASSED, ExerciseOutcome
from grader.host.pristine import original_stub
from grader.host.report import progress_bar, render
from grader.host.runner import RunOptions, run_exercises
from grader.manifest import KIT_ROOT

pytestmark = pytest.mark.timeout(120)
SCHEMAS = Path(__file__).with_name("schemas")
SELECTED = ("await_the_result", "fetch_all")
STUB = None  # stands for "the shipped stub, untouched"
EDITED = "edited"  # stands for "the shipped stub with a learner's comment added"
SCENARIOS: dict[str, dict[str, str | None]] = {
    "all_solved": {},
    "none_solved": {"01_coroutines/await_the_result.py": STUB, "02_tasks/fetch_all.py": STUB},
    "mixed": {"02_tasks/fetch_all.py": EDITED},
    "syntax_error": {"02_tasks/fetch_all.py": "async def fetch_all(:\n"},
    "hang": {"02_tasks/fetch_all.py": "while True:\n    pass\n"},
}


def schema(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def _text_for(manifest, relative, change):
    exercise = next(e for e in manifest.exercises if e.relative_path.as_posix() == relative)
    if change is STUB:
        return original_stub(exercise)
    return original_stub(exercise) + "\n# edited\n" if change == EDITED else change


@pytest.fixture(scope="module")
def runs(manifest, tmp_path_factory):
    """Each scenario graded once, with the JUnit file pytest wrote for it."""
    exercises = tuple(manifest.by_id(exercise_id) for exercise_id in SELECTED)
    results = {}
    for name, changes in SCENARIOS.items():
        folder = tmp_path_factory.mktemp(name) / "submission"
        shutil.copytree(KIT_ROOT / "solutions", folder)
        for relative, change in changes.items():
            (folder / relative).write_text(_text_for(manifest, relative, change), "utf-8")
        junit = folder.parent / "junit.xml"
        options = RunOptions(submission=folder, extra_args=("--timeout=1",))
        results[name] = (run_exercises(exercises, options), junit)
    return results


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_output_matches_its_golden_file(runs, golden, scenario):
    outcomes, junit = runs[scenario]
    golden(f"{scenario}/report.txt", render(outcomes, verbose=False, colour=False))
    exercism = formats.exercism_results(outcomes)
    jsonschema.validate(exercism, schema("exercism-v3.schema.json"))
    golden(f"{scenario}/exercism.json", json.dumps(exercism, indent=2) + "\n")
    gradescope = formats.gradescope_results(outcomes, execution_time=1.5)
    jsonschema.validate(gradescope, schema("gradescope.schema.json"))
    golden(f"{scenario}/gradescope.json", json.dumps(gradescope, indent=2) + "\n")
    formats.write_junit(outcomes, junit)
    golden(f"{scenario}/junit.xml", junit.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("scenario", "statuses"),
    [
        ("all_solved", ["passed", "passed"]),
        ("none_solved", ["not started", "not started"]),
        ("mixed", ["passed", "failed"]),
        ("syntax_error", ["passed", "error"]),
        ("hang", ["passed", "error"]),
    ],
)
def test_each_scenario_gets_the_statuses_it_deserves(runs, scenario, statuses):
    outcomes, _ = runs[scenario]
    assert [outcome.status for outcome in outcomes] == statuses


def test_the_verbose_report_shows_every_failure_once_and_hides_none(runs):
    outcomes, _ = runs["mixed"]
    text = render(outcomes, verbose=True, colour=False)
    assert text.count("ten one second downloads take one second") == 1
    assert "more (nox -s grade" not in text


def test_colour_is_only_added_when_asked(runs):
    outcomes, _ = runs["mixed"]
    assert "\033[" not in render(outcomes, verbose=False, colour=False)
    assert "\033[32m" in render(outcomes, verbose=False, colour=True)


def test_the_gradescope_file_scores_by_exercise(runs):
    outcomes, _ = runs["mixed"]
    document = formats.gradescope_results(outcomes, execution_time=1.5)
    assert document["score"] == sum(outcome.points for outcome in outcomes) == 5
    assert [test["status"] for test in document["tests"]] == ["passed", "failed"]


def test_the_junit_file_names_each_exercise_as_its_class(runs):
    outcomes, junit = runs["mixed"]
    formats.write_junit(outcomes, junit)
    cases = list(ET.parse(junit).iter("testcase"))
    assert {case.get("classname") for case in cases} == set(SELECTED)
    failures = [(case.get("name"), case.find("failure")) for case in cases]
    failed = [(name, failure.get("message")) for name, failure in failures if failure is not None]
    # The mixed submission's fetch_all downloads one url after another: only the tests
    # that time the downloads fail, each with its own message.
    assert [name for name, _ in failed] == [
        "test_ten_one_second_downloads_take_one_second",
        "test_a_hundred_and_twenty_downloads_all_run_at_the_same_time",
        "test_a_slow_download_is_waited_for_however_long_it_takes",
    ]
    assert failed[0][1] == "Ten one-second downloads took 10 s of event-loop time; expected 1 s."


def test_a_run_where_nothing_ran_is_an_error_never_a_pass(manifest):
    outcome = ExerciseOutcome(
        manifest.by_id("fetch_all"), ERROR, [], "No test of this exercise ran."
    )
    document = formats.exercism_results([outcome])
    jsonschema.validate(document, schema("exercism-v3.schema.json"))
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


def test_a_run_where_every_test_errored_is_an_exercism_error_with_the_reason(runs):
    outcomes, _ = runs["syntax_error"]
    broken = [outcome for outcome in outcomes if outcome.exercise.id == "fetch_all"]
    document = formats.exercism_results(broken)
    jsonschema.validate(document, schema("exercism-v3.schema.json"))
    assert document["status"] == "error"
    assert "does not compile" in document["message"]


def test_each_case_of_a_parametrized_test_has_its_own_name_in_every_output(manifest):
    # Both cases of fetch_all's parametrized test fail, with different messages: every
    # output must tell the two apart, or a learner sees one test fail twice.
    name = "test_a_failed_download_raises_its_error"
    cases = ["fails_first", "fails_last"]
    tests = [
        recorded.TestOutcome(
            f"tests/02_tasks/test_fetch_all.py::{name}[{case}]", name, "", "failed",
            f"message for {case}", "", 0.0,
        )
        for case in cases
    ]  # fmt: skip
    outcome = ExerciseOutcome(manifest.by_id("fetch_all"), FAILED, tests)
    report = render([outcome], verbose=True, colour=False)
    exercism = [test["name"] for test in formats.exercism_results([outcome])["tests"]]
    outcome.credit = Credit(mode=PER_TEST)
    gradescope = [test["name"] for test in formats.gradescope_results([outcome], 1.0)["tests"]]
    sentence = "a failed download raises its error"
    for case in cases:
        assert f"x {sentence} [{case}] (failed)" in report
    assert exercism == [f"{sentence} [{case}]" for case in cases]
    assert gradescope == [f"fetch_all: {sentence} [{case}]" for case in cases]
