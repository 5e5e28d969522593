"""A grade instructors can trust: hostile submissions, graded through the command line.

Each case under ``grader_tests/hostile/`` overrides one exercise of an otherwise correct
submission (the reference solutions) with code that attacks the grader. The case is graded
once, with a secret in the grading command's environment and another in a file outside
the submission, on a throwaway copy of the kit; the tests below then check, one property
each, what an instructor relies on: the attack scores nothing, the honest exercise beside
it is graded as usual, the kit is unchanged, later gradings are unchanged, no secret
reaches any output and no process outlives the grade.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.manifest import KIT_ROOT
from grader_tests.submissions import (
    HONEST,
    HOSTILE_DIR,
    PASSED,
    Case,
    Grade,
    Kit,
    build_submission,
    end_processes,
    hostile_cases,
    still_running,
)

CASES = hostile_cases()
SECRET_VARIABLE = "KIT_TEST_SECRET"
# Bytes any one output (report, Exercism, Gradescope, JUnit) may take, whatever was printed.
OUTPUT_LIMIT = 2**20
# Characters of one test's output in the Exercism file, with room for a "truncated" note.
EXERCISM_OUTPUT_LIMIT = 600
# Generous limits, not timing assertions: a grade of two exercises takes seconds, but the
# machine may be busy; a case that hangs costs the grade's whole limit (GRADE_LIMIT) first.
pytestmark = pytest.mark.timeout(120)
HANG_TIMEOUT = 240


@dataclass
class HostileRun:
    """One hostile case, graded once, and everything the tests below look at."""

    case: Case
    grade: Grade
    secrets: tuple[str, str]
    kit_changes: list[str]
    before: dict[str, dict[str, tuple[str, int]]]
    after: dict[str, dict[str, tuple[str, int]]]
    left_running: list[int]
    machine_paths: tuple[str, str]  # folders of the grading machine: the kit, the submission


class HostileRuns:
    """Grades each case on first use; the tests of a case share its one grade.

    ``without_bubblewrap`` grades it with a PATH on which no ``bwrap`` can be found, so
    the grader has to fall back to its weaker isolation.
    """

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.done: dict[tuple[str, bool], HostileRun] = {}
        # Every case's kit is a fresh copy of the same files, so one baseline serves all.
        self.baselines: dict[tuple[str, ...], dict[str, dict[str, tuple[str, int]]]] = {}

    def __getitem__(self, case: Case) -> HostileRun:
        return self.get(case, without_bubblewrap=False)

    def get(self, case: Case, without_bubblewrap: bool) -> HostileRun:
        """The case's run, graded now if it was not yet."""
        key = (case.name, without_bubblewrap)
        if key not in self.done:
            self.done[key] = self._run(case, without_bubblewrap)
        return self.done[key]

    def _run(self, case: Case, without_bubblewrap: bool) -> HostileRun:
        folder = self.factory.mktemp(case.name)
        env = {}
        if without_bubblewrap:
            (folder / "empty-path").mkdir()
            env["PATH"] = str(folder / "empty-path")
        kit = Kit.copy_of(KIT_ROOT, folder / "kit")
        if case.selection not in self.baselines:
            self.baselines[case.selection] = _stubs_and_solutions(
                kit, case.selection, folder / "before"
            )
        before = self.baselines[case.selection]
        fingerprint = kit.fingerprint()
        env_secret, file_secret = secrets.token_hex(16), secrets.token_hex(16)
        secret_file = folder / "grading-machine-secret.txt"
        secret_file.write_text(file_secret, encoding="utf-8")
        marker = f"kit-hostile-{secrets.token_hex(8)}"
        pids = folder / "pids"
        pids.mkdir()
        words = {
            "SECRET_FILE": str(secret_file),
            "MARKER": marker,
            "KIT": str(kit.root),
            "PIDS": str(pids),
        }
        submission = build_submission(case, folder / "submission", words)
        grade = kit.grade(
            case.selection,
            submission=submission,
            outputs=folder / "outputs",
            env={**env, SECRET_VARIABLE: env_secret},
        )
        left_running = still_running(marker, pids)
        end_processes(left_running)
        kit_changes = kit.changes_since(fingerprint)
        after = _stubs_and_solutions(kit, case.selection, folder / "after")
        shutil.rmtree(submission)  # it may hold a file as large as the disk attack could make
        return HostileRun(
            case,
            grade,
            (env_secret, file_secret),
            kit_changes,
            before,
            after,
            left_running,
            (str(kit.root), str(submission)),
        )


def _stubs_and_solutions(
    kit: Kit, selection: tuple[str, ...], folder: Path
) -> dict[str, dict[str, tuple[str, int]]]:
    """The scores of the kit's untouched stubs, and of a copy of its solutions."""
    solutions = folder / "solutions"
    shutil.copytree(kit.root / "solutions", solutions)
    return {
        "stubs": kit.grade(selection, outputs=folder / "stubs").scores(),
        "solutions": kit.grade(selection, solutions, outputs=folder / "sol").scores(),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> HostileRuns:
    """The graded hostile cases of this module."""
    return HostileRuns(tmp_path_factory)


def params(cases: list[Case]) -> list[object]:
    """The cases as parameters; a case that hangs may take up to the grader's limit and more."""
    return [
        pytest.param(case, id=case.name, marks=[pytest.mark.timeout(HANG_TIMEOUT)] * case.hangs)
        for case in cases
    ]


by_case = pytest.mark.parametrize("case", params(CASES))


@by_case
def test_a_hostile_exercise_scores_nothing(runs, case):
    run = runs[case]
    grade = run.grade
    shown = grade.describe(case.attacked)
    assert grade.finished, f"{case.attacks}: the grade never ended.\n{shown}"
    entry = grade.exercise(case.attacked)
    assert entry["points"] == 0, f"{case.attacks}: it scored.\n{shown}"
    if case.expect == "error":
        assert entry["status"] == "error", (
            f"{case.attacks}: expected status 'error' (caught interfering), got "
            f"{entry['status']!r}.\n{shown}"
        )
    else:
        assert entry["status"] != PASSED, f"{case.attacks}: it passed.\n{shown}"
    assert grade.returncode == 1, f"{case.attacks}: the grade exited {grade.returncode}.\n{shown}"


@pytest.mark.parametrize("case", params([c for c in CASES if c.touched]))
def test_the_message_says_what_the_exercise_touched(runs, case):
    grade = runs[case].grade
    message = str(grade.exercise(case.attacked).get("message") or "")
    named = [word for word in case.touched if word.lower() in message.lower()]
    assert named, (
        f"{case.attacks}: the exercise's message names none of {list(case.touched)}: {message!r}"
    )
    assert any(word.lower() in grade.stdout.lower() for word in named), (
        f"The report does not name what {case.attacked} touched:\n{grade.stdout}"
    )


@by_case
def test_the_honest_exercise_beside_it_is_still_graded(runs, case):
    grade = runs[case].grade
    entry = grade.exercise(HONEST)
    assert (entry["status"], entry["points"]) == (PASSED, entry["max_points"]), (
        f"{case.attacks}: the honest copy of the solution lost its points.\n"
        f"{grade.describe(HONEST)}"
    )


@by_case
def test_the_results_name_the_isolation_used(runs, case):
    exercism = runs[case].grade.exercism
    isolation = exercism.get("isolation")
    assert isinstance(isolation, str), (
        f"the Exercism file has no `isolation` string; its keys: {sorted(exercism)}"
    )
    assert isolation.strip(), "the Exercism file's `isolation` is empty"


@by_case
def test_grading_it_changes_no_file_of_the_kit(runs, case):
    changes = runs[case].kit_changes
    assert not changes, f"{case.attacks}: grading it changed the kit:\n" + "\n".join(changes)


@by_case
def test_later_gradings_are_unchanged(runs, case):
    run = runs[case]
    assert run.after == run.before, (
        f"{case.attacks}: after it, the stubs and the solutions grade differently.\n"
        f"before: {run.before}\nafter:  {run.after}"
    )


@by_case
def test_no_secret_reaches_any_output(runs, case):
    run = runs[case]
    shown = run.grade.everything_shown()
    env_secret, file_secret = run.secrets
    assert env_secret not in shown, f"{case.attacks}: ${SECRET_VARIABLE} leaked into an output"
    assert file_secret not in shown, f"{case.attacks}: the grading machine's file leaked"


@by_case
def test_no_process_outlives_the_grade(runs, case):
    left = runs[case].left_running
    assert not left, f"{case.attacks}: processes {left} were still running after the grade"


@by_case
def test_every_output_stays_small(runs, case):
    sizes = runs[case].grade.sizes()
    too_big = {name: size for name, size in sizes.items() if size > OUTPUT_LIMIT}
    assert not too_big, f"{case.attacks}: outputs over {OUTPUT_LIMIT} bytes: {too_big}"


@pytest.mark.parametrize("case", params([c for c in CASES if c.floods]))
def test_a_flood_of_output_is_cut_with_a_visible_note(runs, case):
    outputs = [str(test.get("output") or "") for test in runs[case].grade.exercism["tests"]]
    assert all(len(output) <= EXERCISM_OUTPUT_LIMIT for output in outputs), [
        len(output) for output in outputs
    ]
    assert any("truncated" in output for output in outputs), (
        f"no test output says it was truncated: {[output[-80:] for output in outputs]}"
    )


@pytest.mark.parametrize("case", params([c for c in CASES if not c.symlinks]))
def test_no_folder_of_the_grading_machine_is_shown(runs, case):
    run = runs[case]
    kit, submission = run.machine_paths
    assert kit not in run.grade.everything_shown(), (
        f"{case.attacks}: an output shows the kit's folder {kit}"
    )
    assert submission not in run.grade.student_visible(), (
        f"{case.attacks}: a student-visible file shows {submission}; paths should be relative "
        "to the submission"
    )


FALLBACK_CASES = [
    case
    for case in CASES
    if case.name
    in {
        "patch_asyncio_sleep",
        "forge_results_argv",
        "write_kit_grader",
        "leak_env_secret",
        "symlink_to_solution",
        "hang_fork_child_holds_pipes",
        "exhaust_processes",
    }
]


@pytest.mark.parametrize("case", params(FALLBACK_CASES))
def test_without_bubblewrap_the_fallback_isolation_still_holds(runs, case):
    run = runs.get(case, without_bubblewrap=True)
    grade = run.grade
    isolation = grade.exercism.get("isolation")
    assert isinstance(isolation, str), f"no `isolation` in {sorted(grade.exercism)}"
    assert isolation.strip(), "the Exercism file's `isolation` is empty"
    assert isolation != "bubblewrap", "with no bwrap to be found, the grade claims bubblewrap"
    assert grade.finished, f"{case.attacks}: the grade never ended"
    attacked, honest = grade.exercise(case.attacked), grade.exercise(HONEST)
    assert attacked["points"] == 0, f"{case.attacks}: it scored.\n{grade.describe(case.attacked)}"
    if case.expect == "error":
        assert attacked["status"] == "error", grade.describe(case.attacked)
    assert honest["status"] == PASSED, grade.describe(HONEST)
    assert not run.kit_changes, "\n".join(run.kit_changes)
    assert run.after == run.before
    assert not any(secret in grade.everything_shown() for secret in run.secrets)
    assert not run.left_running, f"processes {run.left_running} outlived the grade"


def _reaches_for_the_grader(case: Case) -> bool:
    """Whether the case's attacking file is one the host's review names (grader.host.review)."""
    from grader.host.review import findings
    from grader.manifest import load_manifest

    relative = load_manifest().by_id(case.attacked).relative_path
    return any(findings(path) for path in (HOSTILE_DIR / case.name).rglob(relative.name))


@pytest.mark.parametrize("case", params([c for c in CASES if _reaches_for_the_grader(c)]))
def test_code_that_reaches_for_the_grader_is_named_for_an_instructor_to_read(runs, case):
    grade = runs[case].grade
    assert f"Read the code of {case.attacked}: it " in grade.stdout, (
        f"{case.attacks}: the report does not point the instructor at the code.\n{grade.stdout}"
    )
