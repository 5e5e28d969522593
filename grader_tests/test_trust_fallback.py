"""The fallback isolation (no bubblewrap) still holds against the main kinds of attack.

Where bubblewrap cannot run, submissions are graded in the throwaway tree with a scrubbed
environment, limits and a process-group kill. A few hostile cases, one per kind of threat
the fallback must still stop, are graded with ``--isolation fallback``.
"""

from __future__ import annotations

import pytest

from grader_tests.submissions import HONEST, PASSED, hostile_cases
from grader_tests.test_trust import HostileRuns

_KINDS = {
    "forge_results_fds",  # a forged result written to the grader's pipe
    "patch_asyncio_sleep",  # monkeypatching what makes time pass
    "write_kit_grader",  # writing the kit's files so later gradings change
    "read_solution_through_kit_root",  # reading the reference solutions
    "leak_env_secret",  # reading the grading machine's environment
    "outlive_the_grade",  # a child process that outlives the grade
    "symlink_to_solution",  # a symbolic link out of the submission
}
CASES = [case for case in hostile_cases() if case.name in _KINDS]
pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> HostileRuns:
    """The cases above, graded without bubblewrap."""
    return HostileRuns(tmp_path_factory, extra=("--isolation", "fallback"))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_fallback_isolation_stops_it(runs, case):
    run = runs[case]
    grade = run.grade
    assert "fallback" in str(grade.exercism.get("isolation")), grade.exercism.get("isolation")
    entry = grade.exercise(case.attacked)
    assert entry["points"] == 0, f"{case.attacks}: it scored.\n{grade.describe(case.attacked)}"
    honest = grade.exercise(HONEST)
    assert honest["status"] == PASSED, f"{case.attacks}: {grade.describe(HONEST)}"
    assert not run.kit_changes, f"{case.attacks}: the kit changed: {run.kit_changes}"
    assert run.after == run.before, f"{case.attacks}: later gradings changed"
    shown = grade.everything_shown()
    assert not any(secret in shown for secret in run.secrets), f"{case.attacks}: a secret leaked"
    assert not run.left_running, f"{case.attacks}: {run.left_running} outlived the grade"
