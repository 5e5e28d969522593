"""Partial credit: the rule, where it is chosen, and every output agreeing on it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from grader.course.autograde import classroom50_results
from grader.course.batch import Graded
from grader.course.gradebook import gradebook_csv
from grader.course.intake import Submission
from grader.course.prairielearn import prairielearn_results
from grader.host import formats
from grader.host import outcomes as kit_outcomes
from grader.host.credit import ALL_OR_NOTHING, PER_TEST, Credit, apply, load_credit
from grader.host.outcomes import ERROR, FAILED, NOT_STARTED, PASSED, ExerciseOutcome
from grader.host.report import render
from grader.manifest import MANIFEST_PATH, ManifestError

SCHEMAS = Path(__file__).with_name("schemas")


def _test(name, outcome):
    return kit_outcomes.TestOutcome(
        f"t::{name}", name, "", outcome, "" if outcome == "passed" else "no", "", 0
    )


def outcome_of(manifest, exercise_id, status, *results):
    """An outcome whose tests are named a, b, c, ... with the given results."""
    tests = [_test(f"test_{chr(97 + n)}", result) for n, result in enumerate(results)]
    return ExerciseOutcome(manifest.by_id(exercise_id), status, tests)


def test_all_or_nothing_is_the_default_and_gives_nothing_for_a_failed_exercise(manifest):
    failed = outcome_of(manifest, "fetch_all", FAILED, "passed", "passed", "failed")
    passed = outcome_of(manifest, "fetch_all", PASSED, "passed", "passed")
    assert (failed.points, passed.points) == (0, 10)
    apply([failed, passed], Credit())
    assert (failed.points, passed.points) == (0, 10)


def test_per_test_credit_splits_the_points_over_the_tests_that_ran(manifest):
    outcome = outcome_of(manifest, "fetch_all", FAILED, "passed", "passed", "passed", "failed")
    apply([outcome], Credit(PER_TEST))
    assert outcome.points == 7.5


def test_a_skipped_test_counts_neither_way(manifest):
    outcome = outcome_of(manifest, "fetch_all", FAILED, "passed", "skipped", "failed", "failed")
    apply([outcome], Credit(PER_TEST))
    assert outcome.points == pytest.approx(10 / 3, abs=0.01)


def test_weights_give_a_test_a_larger_share(manifest):
    outcome = outcome_of(manifest, "fetch_all", FAILED, "passed", "passed", "passed", "failed")
    apply([outcome], Credit(PER_TEST, {"fetch_all": {"test_d": 2, "test_a": 3}}))
    # a: 3, b: 1, c: 1 passed of a total weight 3 + 1 + 1 + 2 = 7.
    assert outcome.points == pytest.approx(50 / 7, abs=0.01)


@pytest.mark.parametrize("status", [ERROR, NOT_STARTED])
def test_per_test_credit_fails_closed_for_errors_and_untouched_stubs(manifest, status):
    outcome = outcome_of(manifest, "fetch_all", status, "passed", "passed", "failed")
    apply([outcome], Credit(PER_TEST))
    assert outcome.points == 0


def test_the_manifest_chooses_the_rule_and_the_command_line_wins(manifest, tmp_path):
    text = MANIFEST_PATH.read_text(encoding="utf-8")
    text = text.replace(
        'id = "fetch_all"\n', 'id = "fetch_all"\nweights = { test_no_urls_means_no_pages = 3 }\n'
    )
    path = tmp_path / "manifest.toml"
    assert '\ncredit = "all-or-nothing"\n' in text
    path.write_text(text.replace('credit = "all-or-nothing"', 'credit = "per-test"'))
    chosen = load_credit(manifest, path=path)
    assert chosen.mode == PER_TEST
    assert chosen.weight("fetch_all", "test_no_urls_means_no_pages") == 3
    assert chosen.weight("fetch_all", "test_pages_come_back_in_the_order_of_the_urls") == 1
    assert load_credit(manifest, ALL_OR_NOTHING, path=path).mode == ALL_OR_NOTHING


@pytest.mark.parametrize(
    ("addition", "complaint"),
    [
        ("weights = { test_that_does_not_exist = 2 }", "name no test"),
        ("weights = { test_no_urls_means_no_pages = 0 }", "positive number"),
    ],
)
def test_a_wrong_weight_is_refused_with_its_reason(manifest, tmp_path, addition, complaint):
    text = MANIFEST_PATH.read_text(encoding="utf-8")
    path = tmp_path / "manifest.toml"
    path.write_text(text.replace('id = "fetch_all"\n', f'id = "fetch_all"\n{addition}\n'))
    with pytest.raises(ManifestError, match=complaint):
        load_credit(manifest, path=path)


def test_an_unknown_mode_is_refused(manifest):
    with pytest.raises(ManifestError, match="credit must be one of"):
        load_credit(manifest, "half")


def test_every_output_agrees_on_per_test_credit(manifest):
    outcomes = [
        outcome_of(manifest, "await_the_result", PASSED, "passed", "passed"),
        outcome_of(manifest, "fetch_all", FAILED, "passed", "failed", "failed", "failed"),
        outcome_of(manifest, "first_to_answer", ERROR, "passed", "error"),
    ]
    apply(outcomes, Credit(PER_TEST))
    exercises = tuple(outcome.exercise for outcome in outcomes)
    assert [o.points for o in outcomes] == [5, 2.5, 0]

    assert render(outcomes, verbose=False, colour=False).startswith("Score: 7.5/25 points")
    row = gradebook_csv([Graded(Submission("Ada", "ada", "folder"), outcomes)], exercises)
    assert row.splitlines()[1].startswith("Ada,,,folder,7.5,25,5,2.5,0,graded")
    exercism = formats.exercism_results(outcomes)
    assert [entry["points"] for entry in exercism["exercises"]] == [5, 2.5, 0]

    gradescope = formats.gradescope_results(outcomes, 1.0, "after_published")
    jsonschema.validate(gradescope, json.loads((SCHEMAS / "gradescope.schema.json").read_text()))
    assert gradescope["score"] == 7.5
    assert len(gradescope["tests"]) == 2 + 4 + 2  # one Gradescope test per kit test
    assert sum(test["score"] for test in gradescope["tests"]) == 7.5
    assert sum(test["max_score"] for test in gradescope["tests"]) == 25
    assert {test["visibility"] for test in gradescope["tests"]} == {"after_published"}

    prairie = prairielearn_results(outcomes)
    assert prairie["score"] == 0.3
    assert sum(test["points"] for test in prairie["tests"]) == 7.5
    assert sum(test["max_points"] for test in prairie["tests"]) == 25


def test_all_or_nothing_keeps_one_platform_test_per_exercise(manifest):
    outcomes = [
        outcome_of(manifest, "await_the_result", PASSED, "passed", "passed"),
        outcome_of(manifest, "fetch_all", FAILED, "passed", "failed"),
    ]
    gradescope = formats.gradescope_results(outcomes, 1.0)
    assert [(t["score"], t["max_score"]) for t in gradescope["tests"]] == [(5, 5), (0, 10)]
    prairie = prairielearn_results(outcomes)
    assert [(t["points"], t["max_points"]) for t in prairie["tests"]] == [(5, 5), (0, 10)]
    classroom = classroom50_results(outcomes, {"CLASSROOM": "c", "ASSIGNMENT": "a"})
    assert (classroom["score"], classroom["max-score"]) == (5, 15)
    assert classroom["schema"] == "classroom50/result/v1"
    assert [t["test-name"] for t in classroom["tests"]] == ["await_the_result", "fetch_all"]


@pytest.mark.parametrize("count", range(1, 41))
def test_the_shares_of_a_solved_exercise_add_up_to_its_points(manifest, count):
    """However many tests an exercise has, its per-test shares make its points exactly."""
    for exercise_id in ("await_the_result", "fetch_all", "meet_at_the_barrier"):
        outcome = outcome_of(manifest, exercise_id, PASSED, *["passed"] * count)
        apply([outcome], Credit(PER_TEST))
        shares = [worth for _, _, worth in Credit(PER_TEST).test_points(outcome)]
        points = outcome.exercise.points
        assert round(sum(shares), 2) == points, (exercise_id, count, shares)
        assert all(abs(share - points / count) < 0.01 for share in shares), shares
