"""The loop around the report: hints that follow the learner, passes, state, selection, nox.

And the verdicts on endless work, graded end to end from fixture submissions.
"""

from __future__ import annotations

import json
import sys
import threading

import pytest

from grader import cli
from grader.host import outcomes as outcome_records
from grader.host import report, state
from grader.host.advice import advice_for
from grader.host.outcomes import FAILED, NOT_STARTED, PASSED, ExerciseOutcome, unavailable
from grader.host.pristine import original_stub
from grader.host.report import Context, render
from grader.host.runner import RunOptions, run_exercises, run_pytest
from grader.host.verdict import judge
from grader.inside.messages import for_learner
from grader.manifest import KIT_ROOT

FETCH_ALL = "02_tasks/fetch_all.py"


def a_test(name, message="it went wrong", outcome="failed"):
    return outcome_records.TestOutcome(f"tests/x.py::{name}", name, "", outcome, message, "", 0.0)


# -- hints ---------------------------------------------------------------------------------


def test_the_report_shows_the_hint_for_the_failing_test_before_the_next_in_order(manifest):
    exercise = manifest.by_id("fetch_all")
    failing = "test_a_failed_download_raises_its_error"
    (mapped,) = exercise.hints_for(failing)
    outcome = ExerciseOutcome(exercise, FAILED, [a_test(failing)])
    text = render([outcome], verbose=False, colour=False)
    assert f"Hint: {exercise.hints[mapped - 1]}" in text


def test_the_report_moves_on_to_a_hint_not_yet_seen(manifest):
    exercise = manifest.by_id("fetch_all")
    outcome = ExerciseOutcome(exercise, FAILED, [a_test("test_no_urls_means_no_pages")])
    context = Context(hints_seen={exercise.id: {1}})
    text = render([outcome], verbose=False, colour=False, context=context)
    assert f"Hint: {exercise.hints[1]}" in text
    assert exercise.hints[0] not in text


def test_once_every_hint_was_seen_the_report_says_so_instead_of_repeating_hint_1(manifest):
    exercise = manifest.by_id("fetch_all")
    outcome = ExerciseOutcome(exercise, FAILED, [a_test("test_no_urls_means_no_pages")])
    seen = set(range(1, len(exercise.hints) + 1))
    text = render(
        [outcome], verbose=False, colour=False, context=Context(hints_seen={"fetch_all": seen})
    )
    assert "Hint:" not in text
    assert f"Hints: all {len(exercise.hints)} seen" in text


def test_the_hint_command_prefers_the_failing_tests_hint_and_remembers_it(manifest, tmp_path):
    exercise = manifest.by_id("fetch_all")
    path = tmp_path / "state.json"
    failing = ["test_a_failed_download_raises_its_error"]
    number, _ = state.next_hint(exercise, path, failing_tests=failing)
    assert [number] == exercise.hints_for(failing[0])
    assert state.read_state(path).seen(exercise) == {number}
    assert state.next_hint(exercise, path, failing_tests=failing)[0] == 1


def test_every_exercise_says_what_it_taught_and_maps_hints_to_its_own_tests(manifest):
    for exercise in manifest.exercises:
        assert exercise.learned, f"{exercise.id} has no `learned` sentence"
        tests = (KIT_ROOT / exercise.test_path).read_text(encoding="utf-8")
        for name, _ in exercise.hint_for_test:
            assert f"def {name}(" in tests, f"{exercise.id}: hint_for_test names {name}"


# -- the state file ------------------------------------------------------------------------


def test_concurrent_changes_to_the_state_are_all_kept(manifest, tmp_path):
    path = tmp_path / "state.json"
    exercises = manifest.exercises[:8]

    def show_every_hint(exercise):
        for _ in exercise.hints:
            state.next_hint(exercise, path)

    threads = [threading.Thread(target=show_every_hint, args=(e,)) for e in exercises]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = state.read_state(path)
    for exercise in exercises:
        assert saved.seen(exercise) == set(range(1, len(exercise.hints) + 1))
    assert json.loads(path.read_text(encoding="utf-8"))  # whole, valid JSON
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temp or lock file left


def test_the_first_state_format_still_counts_its_hints(manifest, tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"hints_shown": {"fetch_all": 2}}', encoding="utf-8")
    assert state.read_state(path).seen(manifest.by_id("fetch_all")) == {1, 2}


# -- the report around a pass, and before a start --------------------------------------------


def test_a_not_started_exercise_shows_the_task_and_where_to_work_not_the_fix(manifest):
    exercise = manifest.by_id("yield_to_the_loop")
    message = "asyncio.sleep(0) does exactly that"
    outcome = ExerciseOutcome(exercise, NOT_STARTED, [a_test("test_x", message)])
    text = render([outcome], verbose=False, colour=False)
    assert message not in text
    assert not any(hint in text for hint in exercise.hints)
    todo = next(
        n for n, line in enumerate(original_stub(exercise).splitlines(), 1) if "# TODO:" in line
    )
    assert f"Work at line {todo}: # TODO:" in text


def test_a_new_pass_says_what_it_taught_and_a_finished_topic_points_to_the_next(manifest):
    topic = manifest.topics[0]
    outcomes = [
        ExerciseOutcome(e, PASSED, [a_test("test_ok", "", "passed")])
        for e in manifest.exercises
        if e.topic == topic
    ]
    last = outcomes[-1].exercise
    context = Context(manifest=manifest, newly_passed=frozenset({last.id}))
    text = render(outcomes, verbose=False, colour=False, context=context)
    assert f"Passed: {last.id}" in text
    assert last.learned.split()[0] in text
    assert f"Topic complete: {topic.title}." in text
    assert f"exercises/{manifest.topics[1].folder}/README.md" in text


def test_a_pass_of_one_selected_exercise_names_the_next_exercise(manifest):
    exercise = manifest.by_id("fetch_all")
    after = manifest.exercises[manifest.exercises.index(exercise) + 1]
    context = Context(manifest=manifest, newly_passed=frozenset({exercise.id}))
    text = render([ExerciseOutcome(exercise, PASSED)], verbose=False, colour=False, context=context)
    assert f"Next exercise: {after.id}" in text
    assert "Every selected exercise passes" in text


def test_passing_the_whole_kit_ends_with_a_closing_message(manifest):
    outcomes = [ExerciseOutcome(e, PASSED) for e in manifest.exercises]
    text = render(outcomes, verbose=False, colour=False, context=Context(manifest=manifest))
    assert "Every exercise of the kit passes" in text


def test_a_kit_passed_but_for_exercises_needing_a_newer_python_says_so_and_exits_0(manifest):
    # Python 3.11 grades neither eager_cache (3.12) nor close_the_outbox (3.13).
    newer = [e for e in manifest.exercises if e.min_python > (3, 11)]
    assert {e.id for e in newer} == {"eager_cache", "close_the_outbox"}
    outcomes = [
        unavailable(e, (3, 11)) if e in newer else ExerciseOutcome(e, PASSED)
        for e in manifest.exercises
    ]
    text = render(outcomes, verbose=False, colour=False, context=Context(manifest=manifest))
    assert "Every exercise of the kit passes" not in text
    assert "Every exercise this Python can grade passes" in text
    assert "were not counted: grade them with Python 3.13 or later." in text
    assert all(e.id in text.split("this Python can grade passes")[1] for e in newer)
    assert cli._exit_code(outcomes) == 0
    only_newer = [unavailable(e, (3, 11)) for e in newer]
    assert cli._exit_code(only_newer) == 1
    text = render(only_newer, verbose=False, colour=False, context=Context(manifest=manifest))
    assert "No selected exercise can be graded on this Python." in text


def test_the_next_exercise_named_is_one_this_python_can_grade(manifest, monkeypatch):
    monkeypatch.setattr(report, "RUNNING", (3, 11))
    newer = next(e for e in manifest.exercises if e.min_python > (3, 11))
    before = manifest.exercises[manifest.exercises.index(newer) - 1]
    after = next(
        e
        for e in manifest.exercises[manifest.exercises.index(newer) + 1 :]
        if e.min_python <= (3, 11)
    )
    context = Context(manifest=manifest, newly_passed=frozenset({before.id}))
    text = render([ExerciseOutcome(before, PASSED)], verbose=False, colour=False, context=context)
    assert f"Next exercise: {newer.id}" not in text
    assert f"Next exercise: {after.id}" in text


def test_verbose_shows_every_failure_of_the_next_exercise_once(manifest):
    exercise = manifest.by_id("fetch_all")
    tests = [a_test(f"test_number_{n}", f"problem {n}") for n in range(6)]
    text = render([ExerciseOutcome(exercise, FAILED, tests)], verbose=True, colour=False)
    assert all(text.count(f"problem {n}") == 1 for n in range(6))
    assert "more (nox" not in text


def test_test_names_read_as_sentences(manifest):
    exercise = manifest.by_id("keep_a_reference")
    outcome = ExerciseOutcome(
        exercise, FAILED, [a_test("test_a_failed_job_s_error_is_raised_by_wait_all")]
    )
    assert "x a failed job's error is raised by `wait_all` (failed)" in render(
        [outcome], verbose=False, colour=False
    )


def test_the_graders_own_names_never_reach_a_learner():
    text = for_learner(
        "<LearnerTask pending name='Task-3'> in module 'asyncio_kit_exercises.tasks.fetch_all'"
    )
    assert "LearnerTask" not in text
    assert "asyncio_kit" not in text
    assert "<Task pending" in text


# -- command-line bugs ---------------------------------------------------------------------


def test_an_exercise_path_is_accepted_as_a_selection(manifest):
    assert manifest.select(["exercises/02_tasks/fetch_all.py"]) == (manifest.by_id("fetch_all"),)
    assert manifest.select(["exercises\\02_tasks\\"]) == manifest.select(["tasks"])


def test_reset_of_a_deleted_file_restores_it_without_asking(manifest, tmp_path, monkeypatch):
    exercise = manifest.by_id("fetch_all")
    monkeypatch.setattr(cli, "KIT_ROOT", tmp_path)
    monkeypatch.setattr(cli, "_confirm", lambda question: pytest.fail(f"asked {question!r}"))
    assert cli.main(["reset", "exercises/02_tasks/fetch_all.py"]) == cli.EXIT_OK
    assert (tmp_path / exercise.path_in("exercises")).read_text("utf-8") == original_stub(exercise)


def test_declining_a_reset_is_not_a_failure(manifest, tmp_path, monkeypatch, capsys):
    exercise = manifest.by_id("fetch_all")
    monkeypatch.setattr(cli, "KIT_ROOT", tmp_path)
    monkeypatch.setattr(cli, "_confirm", lambda question: False)
    target = tmp_path / exercise.path_in("exercises")
    target.parent.mkdir(parents=True)
    target.write_text("mine\n", encoding="utf-8")
    assert cli.main(["reset", "fetch_all"]) == cli.EXIT_OK
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert "Nothing changed." in capsys.readouterr().out


def test_help_through_nox_names_the_nox_command(monkeypatch, capsys):
    monkeypatch.setenv("NOX_CURRENT_SESSION", "grade")
    with pytest.raises(SystemExit):
        cli.main(["grade", "--help"])
    assert capsys.readouterr().out.startswith("usage: nox -s grade --")


def test_watch_grades_at_once_and_answers_keys(manifest, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(state, "STATE_PATH", tmp_path / "state.json")
    monkeypatch.setattr(cli, "reset_exercise", lambda exercise, ask: print(f"reset {exercise.id}"))
    first = manifest.exercises[0]

    def fake_grade(exercises):
        return [ExerciseOutcome(e, FAILED, [a_test("test_x", "still wrong")]) for e in exercises]

    current = cli.watch_loop(manifest, None, iter(["h", "r", "n", "r", "y", "q"]), grade=fake_grade)
    out = capsys.readouterr().out
    assert current == first
    assert "still wrong" in out  # graded before any save
    assert f"{first.id}, hint 1 of" in out
    assert out.count("Press y to confirm") == 2
    assert out.count(f"reset {first.id}") == 1


# -- endless work and portability ----------------------------------------------------------

ENDLESS = {
    "busy loop": (
        "async def fetch_all(urls, download):\n    while True:\n        pass\n",
        "did not get control back",
    ),
    "polling": (
        "import asyncio\n\n\nasync def fetch_all(urls, download):\n    while True:\n"
        "        await asyncio.sleep(0)\n",
        "without its clock moving",
    ),
    "polling by microseconds": (
        "import asyncio\n\n\nasync def fetch_all(urls, download):\n    while True:\n"
        "        await asyncio.sleep(0.000001)\n",
        "while its clock moved only",
    ),
    "endless await loop": (
        "import asyncio\n\n\nasync def fetch_all(urls, download):\n    while True:\n"
        "        await asyncio.sleep(1)\n",
        "Still running at t=",
    ),
    "a deadlock awaiting a task": (
        "import asyncio\n\n\nasync def fetch_all(urls, download):\n"
        "    await asyncio.create_task(asyncio.Event().wait())\n",
        "Waiting at that moment:",
    ),
}


NEVER_ENDS = ("busy loop", "polling", "polling by microseconds", "endless await loop")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", ENDLESS)
def test_endless_work_fails_fast_naming_the_learner_line(manifest, make_submission, case):
    code, words = ENDLESS[case]
    folder = make_submission({FETCH_ALL: code})
    (outcome,) = run_exercises((manifest.by_id("fetch_all"),), RunOptions(submission=folder))
    assert outcome.status == FAILED
    first, *others = outcome.tests
    assert words in first.message
    assert "fetch_all.py:" in first.message
    assert "RuntimeError" not in first.message
    assert others, "fetch_all has more than one test"
    assert {test.outcome for test in outcome.tests} == {"failed"}
    not_run = f"Not run: the test '{first.sentence}' never ended ("
    if case in NEVER_ENDS:
        # Each later test fails at once, naming the test that never ended and where.
        assert all(test.message.startswith(not_run) for test in others), others[0].message
        assert all("fetch_all.py:" in test.message for test in others)
    else:
        # A deadlock ends by itself: every test runs and says what it saw.
        assert not any("Not run:" in test.message for test in outcome.tests)


@pytest.mark.timeout(60)
def test_after_a_busy_loop_the_exercise_fails_whole_leading_with_it_and_others_still_run(
    manifest, make_submission
):
    folder = make_submission({FETCH_ALL: ENDLESS["busy loop"][0]})
    exercises = (manifest.by_id("fetch_all"), manifest.by_id("keep_a_reference"))
    spinning, other = run_exercises(exercises, RunOptions(submission=folder))
    assert other.status == PASSED  # the next exercise of the same run ran, and passed
    assert spinning.status == FAILED
    assert spinning.passed_count == 0
    first, *others = spinning.tests
    assert first.message.startswith("The event loop did not get control back")
    assert all(test.message.startswith("Not run:") for test in others)
    text = render([spinning, other], verbose=False, colour=False)
    # The report leads with the busy loop itself, under the test that ran into it.
    lead = text.split(f"x {first.sentence} (failed)\n", 1)[1].splitlines()[0]
    assert lead.strip().startswith("The event loop did not get control back")
    verbose = render([spinning], verbose=True, colour=False)
    assert verbose.count("Not run:") == 1  # once, then "same problem as above"


@pytest.mark.timeout(60)
def test_a_renamed_function_is_an_error_naming_it(manifest, make_submission):
    stub = (KIT_ROOT / "solutions" / FETCH_ALL).read_text(encoding="utf-8")
    folder = make_submission({FETCH_ALL: stub.replace("def fetch_all(", "def fetch_everything(")})
    (outcome,) = run_exercises((manifest.by_id("fetch_all"),), RunOptions(submission=folder))
    assert outcome.status == "error"
    assert "has no `fetch_all`" in outcome.unfinished_tests[0].message
    assert "asyncio_kit" not in outcome.unfinished_tests[0].message


_WITHOUT_SIGALRM = (
    "import signal, sys\n"
    "del signal.SIGALRM  # as on Windows\n"
    "import pytest\n"
    "sys.exit(pytest.main(sys.argv[1:]))\n"
)


@pytest.mark.timeout(90)
def test_without_sigalrm_the_tests_run_and_a_busy_loop_is_still_stopped(manifest, make_submission):
    folder = make_submission({FETCH_ALL: ENDLESS["busy loop"][0]})
    log = run_pytest(
        ["tests/01_coroutines/test_await_the_result.py", "tests/02_tasks/test_fetch_all.py"],
        [f"--exercises-dir={folder}"],
        command=[sys.executable, "-c", _WITHOUT_SIGALRM],
    )
    assert log.clean, f"the run without SIGALRM did not end cleanly: {log.crash_text}"
    exercises = (manifest.by_id("await_the_result"), manifest.by_id("fetch_all"))
    statuses = {o.exercise.id: o.status for o in judge(exercises, log, folder)}
    assert statuses == {"await_the_result": PASSED, "fetch_all": FAILED}


# -- linter advice -------------------------------------------------------------------------


def test_ruff_advice_is_shown_under_the_exercise_and_does_not_change_the_score(manifest, tmp_path):
    learner_file = tmp_path / "fetch_all.py"
    learner_file.write_text(
        "import asyncio\nimport time\n\n\nasync def fetch_all(urls, download):\n"
        "    time.sleep(1)\n    asyncio.create_task(download(urls[0]))\n",
        encoding="utf-8",
    )
    found = advice_for([learner_file])[learner_file.resolve()]
    assert found[0].startswith("line 6: `time.sleep` in an async function blocks the loop")
    assert found[1].startswith("line 7: the task from `asyncio.create_task` is not kept")
    exercise = manifest.by_id("fetch_all")
    outcome = ExerciseOutcome(exercise, PASSED)
    text = render(
        [outcome], verbose=False, colour=False, context=Context(advice={"fetch_all": found})
    )
    assert f"advice: {found[0]}" in text
    assert f"Score: {exercise.points}/{exercise.points} points" in text
