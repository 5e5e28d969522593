"""Each distinct exercise file is graded once per batch, and every student still gets their grade.

A small class hands in the same solutions, stubs and wrong answers in different combinations,
so most of its files are shared. One test grades it for real and compares every student with a
direct ``run_exercises`` of their folder; the others use a stand-in grader that answers at
once and records which exercise files it was asked to grade.
"""

from __future__ import annotations

import json
import threading

import pytest

from grader.course.batch import BatchOptions, _Files, grade_class
from grader.course.store import ExerciseCache, ResultStore, file_digest
from grader.host.credit import Credit
from grader.host.outcomes import ERROR, FAILED, PASSED, ExerciseOutcome
from grader.host.runner import RunOptions, run_exercises
from grader.inside.attempts import wrong_answers_dir
from grader.manifest import KIT_ROOT

pytestmark = pytest.mark.timeout(240)
SELECTED = ("await_the_result", "fetch_all", "catch_the_failure")
# What each student hands in for each selected exercise: four combinations of three files.
CHOICES = {
    "ada": ("solution", "solution", "stub"),
    "bo": ("solution", "wrong", "stub"),
    "cy": ("wrong", "stub", "solution"),
    "di": ("stub", "wrong", "solution"),
}
EXITS = b"import os\n\nos._exit(3)\n"


@pytest.fixture(scope="module")
def exercises(manifest):
    return tuple(manifest.by_id(name) for name in SELECTED)


def handed_in(exercise, choice):
    """The bytes of the reference solution, the shipped stub or the first known wrong answer."""
    if choice == "solution":
        return (KIT_ROOT / exercise.path_in("solutions")).read_bytes()
    if choice == "stub":
        return (KIT_ROOT / exercise.path_in("exercises")).read_bytes()
    if choice == "wrong":
        return sorted(wrong_answers_dir(exercise).glob("*.py"))[0].read_bytes()
    return choice


def make_class(root, exercises, choices=CHOICES):
    """One folder per student, laid out like exercises/."""
    for student, picks in choices.items():
        for exercise, choice in zip(exercises, picks, strict=True):
            path = root / student / exercise.relative_path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(handed_in(exercise, choice))
    return root


def recording(calls, grader):
    """``grader``, recording each exercise file it is asked for as (exercise id, digest)."""

    def grade(exercises, folder):
        calls.extend(
            (e.id, file_digest((folder / e.relative_path).read_bytes())) for e in exercises
        )
        return grader(exercises, folder)

    return grade


def real(exercises, folder):
    return run_exercises(exercises, RunOptions(submission=folder))


def stand_in(exercises, folder):
    """Passed for a solution, an error for a file that ends the process, failed otherwise."""
    outcomes = []
    for exercise in exercises:
        content = (folder / exercise.relative_path).read_bytes()
        if content == handed_in(exercise, "solution"):
            status = PASSED
        else:
            status = ERROR if content == EXITS else FAILED
        outcomes.append(ExerciseOutcome(exercise, status, problem="stand-in"))
    return outcomes


def distinct_files(exercises, choices):
    return {
        (exercise.id, file_digest(handed_in(exercise, choice)))
        for picks in choices.values()
        for exercise, choice in zip(exercises, picks, strict=True)
    }


def test_each_student_gets_the_grade_a_single_run_of_their_folder_gives(
    tmp_path, manifest, exercises
):
    classroom = make_class(tmp_path / "class", exercises)
    calls: list[tuple[str, str]] = []
    options = BatchOptions(tmp_path / "out", exercises, Credit(), jobs=2)
    results = grade_class(classroom, manifest, options, recording(calls, real))

    by_student = {result.submission.student: result for result in results}
    assert sorted(by_student) == sorted(CHOICES)
    errors = set()
    for student, result in by_student.items():
        single = run_exercises(exercises, RunOptions(submission=classroom / student))
        batch = [(o.exercise.id, o.status, o.points) for o in result.outcomes]
        assert batch == [(o.exercise.id, o.status, o.points) for o in single], student
        errors |= {(o.exercise.id, file_digest(o.file.read_bytes()))
                   for o in single if o.status == ERROR}  # fmt: skip
    distinct = distinct_files(exercises, CHOICES)
    assert len(distinct) < len(CHOICES) * len(SELECTED), "the class shares no file"
    assert set(calls) == distinct
    for key in distinct - errors:
        assert calls.count(key) == 1, f"{key} was graded more than once"


def test_a_file_is_reused_across_batches_and_only_new_files_are_graded(
    tmp_path, manifest, exercises
):
    classroom = make_class(tmp_path / "class", exercises)
    out = tmp_path / "out"
    options = BatchOptions(out, exercises, Credit(), jobs=2)
    grade_class(classroom, manifest, options, stand_in)
    edited = handed_in(exercises[0], "solution") + b"# edited\n"
    (classroom / "ada" / exercises[0].relative_path).write_bytes(edited)

    calls: list[tuple[str, str]] = []
    results = grade_class(classroom, manifest, options, recording(calls, stand_in))
    assert calls == [(exercises[0].id, file_digest(edited))]
    ada = next(result for result in results if result.submission.student == "ada")
    assert [o.status for o in ada.outcomes] == [FAILED, PASSED, FAILED]


def test_an_error_is_graded_again_for_every_submission_holding_it(tmp_path, manifest, exercises):
    choices = {"ada": (EXITS, "solution", "stub"), "bo": (EXITS, "wrong", "stub")}
    classroom = make_class(tmp_path / "class", exercises, choices)
    calls: list[tuple[str, str]] = []
    options = BatchOptions(tmp_path / "out", exercises, Credit(), jobs=1)
    results = grade_class(classroom, manifest, options, recording(calls, stand_in))
    assert calls.count((exercises[0].id, file_digest(EXITS))) == 2
    assert calls.count((exercises[2].id, file_digest(handed_in(exercises[2], "stub")))) == 1
    assert [[o.status for o in result.outcomes] for result in results] == [
        [ERROR, PASSED, FAILED],
        [ERROR, FAILED, FAILED],
    ]
    stored = (tmp_path / "out" / "exercise-results" / exercises[0].id).glob("*.json")
    assert list(stored) == [], "an error was stored as the file's verdict"


def test_force_grades_each_distinct_file_once_again(tmp_path, manifest, exercises):
    classroom = make_class(tmp_path / "class", exercises)
    out = tmp_path / "out"
    grade_class(classroom, manifest, BatchOptions(out, exercises, Credit(), jobs=2), stand_in)
    calls: list[tuple[str, str]] = []
    forced = BatchOptions(out, exercises, Credit(), jobs=2, force=True)
    grade_class(classroom, manifest, forced, recording(calls, stand_in))
    assert sorted(calls) == sorted(distinct_files(exercises, CHOICES))


def test_the_note_says_how_many_exercise_files_are_graded_and_reused(
    tmp_path, manifest, exercises, capsys
):
    classroom = make_class(tmp_path / "class", exercises)
    options = BatchOptions(tmp_path / "out", exercises, Credit(), jobs=2)
    grade_class(classroom, manifest, options, stand_in)
    distinct = len(distinct_files(exercises, CHOICES))
    reused = len(CHOICES) * len(SELECTED) - distinct
    printed = capsys.readouterr().out
    assert f"4 to grade ({distinct} exercise files to grade, {reused} to reuse)" in printed
    assert f"Exercise files graded: {distinct}, reused: {reused}" in printed


def test_a_file_another_worker_is_grading_is_waited_for_then_reused(tmp_path, manifest, exercises):
    exercise = exercises[0]
    key = (exercise.id, file_digest(b"answer\n"))
    files = _Files(ExerciseCache(tmp_path), manifest, force=False)
    assert files.claim([key]) == ({key}, set())
    assert files.claim([key]) == (set(), {key}), "a second worker claimed a busy file"
    waited = threading.Thread(target=files.wait, args=({key},))
    waited.start()
    files.finish({exercise: key}, [ExerciseOutcome(exercise, PASSED)], keep=True)
    files.release([key])
    waited.join()
    reused = files.lookup(exercise, key)
    assert reused is not None
    assert reused.status == PASSED
    assert files.claim([key]) == ({key}, set())


def test_a_stored_outcome_from_another_kit_or_file_is_not_reused(tmp_path, manifest, exercises):
    exercise = exercises[0]
    cache = ExerciseCache(tmp_path)
    digest = file_digest(b"answer\n")
    cache.save(ExerciseOutcome(exercise, PASSED), digest)
    assert cache.load(exercise, digest, manifest) is not None
    assert cache.load(exercise, file_digest(b"other\n"), manifest) is None
    path = cache.path(exercise, digest)
    document = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**document, "kit": "0" * 16}), encoding="utf-8")
    assert cache.load(exercise, digest, manifest) is None
    path.write_text(json.dumps({**document, "outcome": {}}), encoding="utf-8")
    assert cache.load(exercise, digest, manifest) is None


def test_a_stored_submission_from_another_python_or_kit_is_graded_again(
    tmp_path, manifest, exercises
):
    # A class graded on Python 3.11 (where some exercises are not counted) and then on 3.13
    # must be graded again, not given the 3.11 grades.
    store = ResultStore(tmp_path)
    store.save("abc", [ExerciseOutcome(exercise, PASSED) for exercise in exercises])
    assert [o.status for o in store.load("abc", manifest, exercises) or []] == [PASSED] * 3
    document = json.loads(store.path("abc").read_text(encoding="utf-8"))
    for key, other in (("python", "2.7"), ("kit", "0" * 16), ("version", 0)):
        store.path("abc").write_text(json.dumps({**document, key: other}), encoding="utf-8")
        assert store.load("abc", manifest, exercises) is None, f"reused with another {key}"
