"""End-to-end grading of submissions: every status, and one broken exercise never stops the rest."""

from __future__ import annotations

import pytest

from grader.host.outcomes import ERROR, FAILED, NOT_STARTED, PASSED
from grader.host.pristine import original_stub
from grader.host.runner import RunOptions, run_exercises

pytestmark = pytest.mark.timeout(120)

FETCH_ALL = "02_tasks/fetch_all.py"
# Two exercises keep each run short while still showing that one's failure spares the other.
SELECTED = ("fetch_all", "await_the_result")


def grade(manifest, submission, *extra_args):
    exercises = tuple(manifest.by_id(exercise_id) for exercise_id in SELECTED)
    outcomes = run_exercises(exercises, RunOptions(submission=submission, extra_args=extra_args))
    return {outcome.exercise.id: outcome for outcome in outcomes}


def test_a_fully_solved_submission_passes_everything(manifest, make_submission):
    outcomes = grade(manifest, make_submission({}))
    assert {eid: o.status for eid, o in outcomes.items()} == dict.fromkeys(SELECTED, PASSED)
    assert all(o.points == o.exercise.points for o in outcomes.values())


def test_untouched_stubs_are_not_started(manifest, make_submission):
    stub = original_stub(manifest.by_id("fetch_all"))
    submission = make_submission({})
    solved = grade(manifest, submission)["fetch_all"].tests
    (submission / FETCH_ALL).write_text(stub, encoding="utf-8")
    outcomes = grade(manifest, submission)
    assert outcomes["fetch_all"].status == NOT_STARTED
    assert outcomes["fetch_all"].points == 0
    assert outcomes["await_the_result"].status == PASSED
    # Not run at all (the stub as shipped would pass some of its tests), yet every test
    # of the exercise is listed, as many as a solved fetch_all has.
    tests = outcomes["fetch_all"].tests
    assert [t.nodeid for t in tests] == [t.nodeid for t in solved]
    assert all(t.outcome == "failed" and t.message.startswith("Not started:") for t in tests)


def test_a_run_of_untouched_stubs_only_is_an_ordinary_run(manifest, make_submission):
    # No test is set up or run at all, and pytest's "no tests ran" must not read as a crash.
    stubs = {
        manifest.by_id(eid).relative_path.as_posix(): original_stub(manifest.by_id(eid))
        for eid in SELECTED
    }
    outcomes = grade(manifest, make_submission(stubs))
    assert {eid: o.status for eid, o in outcomes.items()} == dict.fromkeys(SELECTED, NOT_STARTED)
    assert all(o.problem == "" for o in outcomes.values()), [o.problem for o in outcomes.values()]


def test_an_edited_but_wrong_exercise_is_failed_with_the_learner_message(manifest, make_submission):
    stub = original_stub(manifest.by_id("fetch_all"))
    outcomes = grade(manifest, make_submission({FETCH_ALL: stub + "\n# still thinking\n"}))
    fetch_all = outcomes["fetch_all"]
    assert fetch_all.status == FAILED
    # The stub downloads one url after another: the tests that time the downloads fail.
    failures = fetch_all.unfinished_tests
    assert [failure.name for failure in failures] == [
        "test_ten_one_second_downloads_take_one_second",
        "test_a_hundred_and_twenty_downloads_all_run_at_the_same_time",
        "test_a_slow_download_is_waited_for_however_long_it_takes",
    ]
    assert "They ran one after another" in failures[0].message


def test_a_syntax_error_marks_only_that_exercise_as_error(manifest, make_submission):
    outcomes = grade(manifest, make_submission({FETCH_ALL: "async def fetch_all(:\n"}))
    fetch_all = outcomes["fetch_all"]
    assert fetch_all.status == ERROR
    assert all(test.outcome == "error" for test in fetch_all.tests)
    assert "does not compile" in fetch_all.tests[0].message
    assert "line 1" in fetch_all.tests[0].message
    assert outcomes["await_the_result"].status == PASSED


def test_a_missing_file_is_an_error_that_says_how_to_restore_it(manifest, make_submission):
    submission = make_submission({})
    (submission / FETCH_ALL).unlink()
    outcomes = grade(manifest, submission)
    assert outcomes["fetch_all"].status == ERROR
    assert "nox -s reset -- fetch_all" in outcomes["fetch_all"].tests[0].message


def test_an_import_that_loops_forever_times_out_and_the_rest_is_graded(manifest, make_submission):
    outcomes = grade(
        manifest, make_submission({FETCH_ALL: "while True:\n    pass\n"}), "--timeout=1"
    )
    fetch_all = outcomes["fetch_all"]
    assert fetch_all.status == ERROR
    assert "never finished" in fetch_all.tests[0].message
    # The failed import is remembered: the other tests of the exercise do not wait again.
    assert all(test.message == fetch_all.tests[0].message for test in fetch_all.tests)
    assert outcomes["await_the_result"].status == PASSED


def test_an_exercise_that_kills_the_test_process_is_isolated(manifest, make_submission):
    outcomes = grade(manifest, make_submission({FETCH_ALL: "import os\nos._exit(3)\n"}))
    assert outcomes["fetch_all"].status == ERROR
    assert "stopped during the test" in outcomes["fetch_all"].problem
    assert outcomes["await_the_result"].status == PASSED


def test_compiled_caches_of_old_kit_versions_are_removed_but_the_newest_kept(tmp_path):
    import os

    from grader.host.sandbox import _CACHES_KEPT, _forget_old_caches

    caches = [tmp_path / f"cache{n}" for n in range(_CACHES_KEPT + 3)]
    for age, cache in enumerate(caches):
        cache.mkdir()
        os.utime(cache, (1000 - age, 1000 - age))  # cache0 is the most recently used
    filling = tmp_path / "filling-abc"
    filling.mkdir()
    current = tmp_path / "current"
    current.mkdir()
    _forget_old_caches(keep=current)
    left = sorted(path.name for path in tmp_path.iterdir())
    expected = sorted(["current", "filling-abc", *(c.name for c in caches[: _CACHES_KEPT - 1])])
    assert left == expected


def test_after_a_dead_run_the_exercises_it_never_reached_run_again_together(manifest):
    from grader.host.outcomes import ExerciseOutcome
    from grader.host.runlog import RunLog
    from grader.host.runner import _with_reruns

    exercises = manifest.exercises[:6]
    dying = {exercises[1].id, exercises[3].id}  # each ends its run's process at import
    runs: list[list[str]] = []

    def run(selected):
        runs.append([e.id for e in selected])
        log, outcomes = RunLog(returncode=0), []
        for exercise in selected:
            if log.returncode:  # the process is gone: never reached
                outcomes.append(ExerciseOutcome(exercise, ERROR, problem="never reached"))
                continue
            log.started.append(f"{exercise.test_path}::test_it")
            if exercise.id in dying:
                log.returncode = 3
                outcomes.append(ExerciseOutcome(exercise, ERROR, problem="the run died here"))
            else:
                outcomes.append(ExerciseOutcome(exercise, PASSED))
        return log, outcomes

    outcomes = _with_reruns(exercises, run)
    ids = [e.id for e in exercises]
    assert runs == [ids, ids[2:], ids[4:]], "each rerun takes every exercise not reached yet"
    assert [o.status for o in outcomes] == [PASSED, ERROR, PASSED, ERROR, PASSED, PASSED]
    assert [o.problem for o in outcomes if o.status == ERROR] == ["the run died here"] * 2


def test_the_compiled_cache_holds_every_test_module_already_rewritten(manifest, tmp_path):
    """A test module missing from the cache is assertion-rewritten again by every sandboxed run.

    Where the grader runs as root, the cache was filled only up to the moment the launcher
    gave up root: the test modules, compiled after that, were never stored.
    """
    from grader.host import sandbox
    from grader.manifest import KIT_ROOT

    if sandbox.choose_isolation("auto") != "bubblewrap":
        pytest.skip("the compiled cache is used by bubblewrap runs only")
    tree = sandbox.build_tree(KIT_ROOT / "exercises", manifest.exercises, tmp_path)
    cache = sandbox.compiled_cache(tree)
    assert cache is not None
    stored = {path.name.split(".")[0] for path in cache.rglob("*-pytest-*.pyc")}
    missing = sorted({e.test_path.stem for e in manifest.exercises} - stored)
    assert not missing, f"not in the compiled cache: {missing}"
