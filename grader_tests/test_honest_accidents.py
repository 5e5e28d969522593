"""Honest accidents that used to fail open, graded through the command line like the rest.

Each test grades a submission (the reference solutions with one file changed) on a
throwaway copy of the kit, so the caches and files it touches are its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.host.check import attempt_problems
from grader.host.runlog import RunLog
from grader.manifest import KIT_ROOT, Manifest
from grader.records import TestRecord
from grader_tests.submissions import HONEST, PASSED, Kit

FETCH_ALL = "02_tasks/fetch_all.py"
SELECTED = ("fetch_all", HONEST)
pytestmark = pytest.mark.timeout(120)

CORRECT = """
import asyncio


async def fetch_all(urls, download):
    return list(await asyncio.gather(*(download(url) for url in urls)))
"""


def on_the_timing_test(action: str, imports: str = "") -> str:
    """A fetch_all that is correct except that the ten-downloads test runs ``action``."""
    return f"""
import asyncio
{imports}


async def fetch_all(urls, download):
    if len(urls) == 10:
        {action}
    return list(await asyncio.gather(*(download(url) for url in urls)))
"""


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    """A copy of the kit shared by this module's gradings."""
    return Kit.copy_of(KIT_ROOT, tmp_path_factory.mktemp("kit") / "kit")


@pytest.fixture
def submission(tmp_path: Path) -> Callable[[str], Path]:
    """The reference solutions, with fetch_all replaced by the given source."""

    def build(fetch_all_source: str) -> Path:
        folder = tmp_path / "submission"
        if not folder.exists():
            shutil.copytree(KIT_ROOT / "solutions", folder)
        (folder / FETCH_ALL).write_text(fetch_all_source, encoding="utf-8")
        return folder

    return build


def test_fetch_all_as_written_here_passes(kit, submission, tmp_path):
    """The baseline every test below changes one thing of."""
    grade = kit.grade(SELECTED, submission(CORRECT), outputs=tmp_path / "out")
    assert grade.scores() == {"fetch_all": (PASSED, 10), HONEST: (PASSED, 5)}, grade.stdout


@pytest.mark.parametrize(
    ("action", "imports"),
    [
        ("raise KeyboardInterrupt", ""),
        ('pytest.exit("stopping here")', "import pytest"),
        ('pytest.exit("stopping here", returncode=0)', "import pytest"),
    ],
    ids=["KeyboardInterrupt", "pytest.exit", "pytest.exit-returncode-0"],
)
def test_a_learner_function_that_stops_the_run_does_not_score(
    kit, submission, tmp_path, action, imports
):
    grade = kit.grade(
        SELECTED, submission(on_the_timing_test(action, imports)), outputs=tmp_path / "out"
    )
    fetch_all = grade.exercise("fetch_all")
    assert fetch_all["status"] != PASSED, grade.describe("fetch_all")
    assert fetch_all["points"] == 0
    assert grade.exercise(HONEST)["status"] == PASSED, grade.describe(HONEST)
    assert grade.returncode == 1


@pytest.mark.parametrize(
    ("action", "imports"),
    [
        ('raise unittest.SkipTest("not today")', "import unittest"),
        ('pytest.skip("not today")', "import pytest"),
    ],
    ids=["unittest.SkipTest", "pytest.skip"],
)
def test_a_skip_raised_from_learner_code_fails_the_test(kit, submission, tmp_path, action, imports):
    grade = kit.grade(
        SELECTED, submission(on_the_timing_test(action, imports)), outputs=tmp_path / "out"
    )
    assert grade.exercise("fetch_all")["status"] == "failed", grade.describe("fetch_all")
    timing = [t for t in grade.exercism["tests"] if "ten one second" in t["name"]]
    assert [t["status"] for t in timing] == ["fail"], timing


def test_a_crash_makes_the_exercism_status_anything_but_pass(kit, submission, tmp_path):
    grade = kit.grade(SELECTED, submission("import os\n\nos._exit(3)\n"), outputs=tmp_path / "out")
    assert grade.exercise("fetch_all")["status"] == "error", grade.describe("fetch_all")
    assert grade.exercism["status"] != "pass", grade.exercism["status"]


def test_after_a_crash_the_junit_file_is_fresh_and_complete(kit, submission, tmp_path):
    outputs = tmp_path / "out"
    outputs.mkdir()
    (outputs / "junit.xml").write_text(
        '<testsuites><testsuite><testcase classname="stale" name="test_from_an_earlier_run"/>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    crash = on_the_timing_test("os._exit(3)", "import os")
    grade = kit.grade(SELECTED, submission(crash), outputs=outputs)
    cases = ET.fromstring(grade.junit).iter("testcase") if grade.junit else iter(())
    names = sorted(case.get("name", "") for case in cases)
    assert "test_from_an_earlier_run" not in names, "the JUnit file is the previous run's"
    shown = f"the JUnit file should hold every graded test once; it holds {names}"
    assert len(set(names)) == len(names), shown  # a parametrized test's cases keep their ids
    assert sorted({name.split("[")[0] for name in names}) == sorted(_test_names(kit, SELECTED)), (
        shown
    )


def test_a_relative_junit_path_lands_in_the_callers_folder(kit, submission, tmp_path):
    caller = tmp_path / "caller"
    caller.mkdir()
    relative = Path("reports") / "junit.xml"
    grade = kit.grade(SELECTED, submission(CORRECT), cwd=caller, extra=("--junit", str(relative)))
    assert grade.returncode == 0, grade.describe("fetch_all")
    assert (caller / relative).is_file(), "the JUnit file is not in the caller's folder"
    assert not (kit.root / relative).exists(), "the JUnit file was written inside the kit"


def test_a_same_size_edit_saved_in_the_same_second_is_graded_fresh(kit, submission, tmp_path):
    sequential = (
        "async def fetch_all(urls, download):\n    return [await download(u) for u in urls]\n"
    )
    right, wrong = _same_size(CORRECT, sequential)
    folder = submission(right)
    path = folder / FETCH_ALL
    first = kit.grade(SELECTED, folder, outputs=tmp_path / "first")
    assert first.exercise("fetch_all")["status"] == PASSED, first.describe("fetch_all")
    saved = path.stat()
    path.write_text(wrong, encoding="utf-8")
    os.utime(path, ns=(saved.st_atime_ns, saved.st_mtime_ns))
    second = kit.grade(SELECTED, folder, outputs=tmp_path / "second")
    assert second.exercise("fetch_all")["status"] != PASSED, (
        "the edit was not graded: the old code's cached bytecode was used\n"
        + second.describe("fetch_all")
    )


def test_what_plain_pytest_fails_by_the_kits_filterwarnings_fails_in_grade(
    kit, submission, tmp_path
):
    unraisable = on_the_timing_test("Grumpy()") + (
        "\n\nclass Grumpy:\n    def __del__(self):\n        raise RuntimeError('goodbye')\n"
    )
    folder = submission(unraisable)
    plain = plain_pytest(kit, folder)
    assert plain.returncode == 1, f"plain pytest should fail it:\n{plain.stdout[-1500:]}"
    grade = kit.grade(SELECTED, folder, outputs=tmp_path / "out")
    assert grade.exercise("fetch_all")["status"] != PASSED, grade.describe("fetch_all")


def test_the_kit_check_does_not_count_a_wrong_answer_that_does_not_import_as_rejected(manifest):
    fetch_all = manifest.by_id("fetch_all")
    names = _test_names(Kit(KIT_ROOT), ("fetch_all",))
    log = RunLog(collected=[], exitstatus=1, returncode=1)

    def record(attempt: str, name: str, phases: dict[str, str], message: str = "") -> None:
        nodeid = f"tests/02_tasks/test_fetch_all.py::{name}[{attempt}]"
        assert log.collected is not None
        log.collected.append({"nodeid": nodeid, "exercise": "fetch_all", "attempt": attempt})
        log.tests[nodeid] = TestRecord(
            nodeid, "fetch_all", attempt, name, "", "", phases=phases, message=message
        )

    passed = {"setup": "passed", "call": "passed", "teardown": "passed"}
    broken = "tests/02_tasks/wrong_answers/fetch_all/typo.py fails when imported: NameError"
    for name in names:
        record("solutions", name, passed)
        record("exercises", name, {**passed, "call": "failed"}, "They ran one after another.")
        record("wrong:typo", name, {"setup": "failed", "teardown": "passed"}, broken)
    problems, _ = attempt_problems(Manifest(manifest.topics, (fetch_all,)), {"fetch_all": log})
    assert any("wrong:typo" in problem for problem in problems), (
        f"a wrong answer that does not even import was counted as rejected: {problems}"
    )


# Real seconds a blocked test takes: longer than the default hard backstop (2 x the 5 s limit).
_BLOCK = 16
_BLOCKED = f"select.select([], [], [], {_BLOCK})"
# A kit test that takes long in real time without an event loop running (so the busy-loop
# watchdog, which watches running loops, has nothing to say): only the backstop could stop it.
_SLOW_TEST = f'''

def test_a_slow_check_{{name}}(exercise):
    """Takes longer than the default backstop in real time."""
    select.select([], [], [], {_BLOCK})
    assert callable(exercise.fetch_all)
'''
_OWN_LIMIT_TEST = "\n\n@pytest.mark.timeout(40)" + _SLOW_TEST.format(name="within_its_own_limit")


@pytest.mark.timeout(180)
def test_the_hard_backstop_follows_a_tests_own_timeout_marker(kit, submission, tmp_path):
    test_file = kit.root / "tests" / "02_tasks" / "test_fetch_all.py"
    original = test_file.read_text(encoding="utf-8")
    test_file.write_text(
        "import pytest\nimport select\n" + original + _OWN_LIMIT_TEST, encoding="utf-8"
    )
    try:
        grade = kit.grade(("fetch_all",), submission(CORRECT), outputs=tmp_path / "out")
    finally:
        test_file.write_text(original, encoding="utf-8")
    assert grade.exercise("fetch_all")["status"] == PASSED, grade.describe("fetch_all")


@pytest.mark.timeout(180)
def test_the_hard_backstop_is_off_with_timeout_0(kit, submission):
    test_file = kit.root / "tests" / "02_tasks" / "test_fetch_all.py"
    original = test_file.read_text(encoding="utf-8")
    slow_test = _SLOW_TEST.format(name="with_no_limit")
    test_file.write_text("import select\n" + original + slow_test, encoding="utf-8")
    try:
        plain = plain_pytest(kit, submission(CORRECT), "--timeout=0", "-k", "with_no_limit")
    finally:
        test_file.write_text(original, encoding="utf-8")
    assert plain.returncode == 0, (
        f"with --timeout=0 a test blocked {_BLOCK} s was still stopped:\n{plain.stdout[-1500:]}"
        f"\n{plain.stderr[-1500:]}"
    )


@pytest.mark.timeout(180)
def test_the_hard_backstops_traceback_reaches_the_learner(kit, submission, tmp_path):
    blocked = on_the_timing_test(
        f"signal.pthread_sigmask(signal.SIG_BLOCK, {{signal.SIGALRM}})\n        {_BLOCKED}",
        "import select\nimport signal",
    )
    grade = kit.grade(("fetch_all",), submission(blocked), outputs=tmp_path / "out")
    entry = grade.exercise("fetch_all")
    assert entry["status"] == "error", grade.describe("fetch_all")
    shown = str(entry.get("message") or "") + "".join(
        str(test.get("message") or "") for test in grade.exercism["tests"]
    )
    # The dump names the frames the process was in when the backstop fired (which frame is
    # innermost depends on where the blocked call left the loop's thread).
    assert re.search(r'File "[^"]+", line \d+', shown), (
        f"the learner's message does not show where the test was stuck: {shown!r}"
    )


def plain_pytest(kit: Kit, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Plain pytest on fetch_all's tests against ``folder``, as a maintainer would run it."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            *args,
            f"--exercises-dir={folder}",
            "tests/02_tasks/test_fetch_all.py",
        ],
        cwd=kit.root,
        capture_output=True,
        text=True,
        check=False,
    )


def _test_names(kit: Kit, selection: tuple[str, ...]) -> list[str]:
    """The test functions of the selected exercises, read from the kit's test files."""
    names = []
    for path in (kit.root / "tests").rglob("test_*.py"):
        if path.stem.removeprefix("test_") in selection:
            names += re.findall(r"^async def (test_\w+)|^def (test_\w+)", path.read_text(), re.M)
    return [async_name or name for async_name, name in names]


def _same_size(first: str, second: str) -> tuple[str, str]:
    """Both texts padded with a comment to the same length in bytes."""
    width = max(len(first.encode()), len(second.encode())) + 4
    return _padded(first, width), _padded(second, width)


def _padded(text: str, width: int) -> str:
    return text + "#" + "x" * (width - len(text.encode()) - 2) + "\n"
