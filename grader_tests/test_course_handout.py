"""What leaves the instructor's hands: the student edition and the LMS autograder bundles.

Each bundle is run as its platform would run it, on a fake root (AUTOGRADER_ROOT for
Gradescope, PL_GRADE_ROOT for PrairieLearn) with this interpreter standing in for the
platform's environment (KIT_PYTHON).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from grader.course.autograde import grade_for
from grader.course.bundles import gradescope_bundle, prairielearn_bundle
from grader.course.edition import build, learner_noxfile, learner_readme
from grader.host.credit import Credit
from grader.manifest import KIT_ROOT

pytestmark = pytest.mark.timeout(180)
SCHEMAS = Path(__file__).with_name("schemas")
FETCH_ALL = "02_tasks/fetch_all.py"
LEARNER_SESSIONS = {"grade", "list", "hint", "watch", "reset"}


def session_names(noxfile_text):
    """The sessions a noxfile defines, by the name nox shows."""
    names = set()
    for node in ast.parse(noxfile_text).body:
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            given = [
                keyword.value.value
                for decorator in node.decorator_list
                if isinstance(decorator, ast.Call)
                for keyword in decorator.keywords
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant)
            ]
            names.add(given[0] if given else node.name)
    return names


@pytest.fixture(scope="module")
def edition(tmp_path_factory, manifest):
    dest = tmp_path_factory.mktemp("handout") / "asyncio-kit"
    build(dest, manifest, github_actions=True)
    return dest


def test_the_edition_holds_no_answers_and_no_maintainer_tools(edition):
    shipped = {path.relative_to(edition).as_posix() for path in edition.rglob("*")}
    assert not (edition / "solutions").exists()
    assert not [path for path in shipped if "wrong_answers" in path]
    for tool in ("grader/host/check.py", "grader/host/freeze.py", "grader/course/fakeclass.py"):
        assert tool not in shipped
    expected = ("manifest.toml", "pyproject.toml", "conftest.py", "exercises/02_tasks/README.md",
                f"exercises/{FETCH_ALL}", "tests/02_tasks/test_fetch_all.py")  # fmt: skip
    assert set(expected) <= shipped
    contents = {path.read_bytes() for path in edition.rglob("*") if path.is_file()}
    answers = {path.read_bytes() for path in (KIT_ROOT / "solutions").rglob("*.py")}
    answers |= {path.read_bytes() for path in (KIT_ROOT / "tests").rglob("wrong_answers/*/*.py")}
    assert not contents & answers, "an answer was shipped under another name"


def test_the_edition_noxfile_has_only_learner_sessions(edition):
    text = (edition / "noxfile.py").read_text(encoding="utf-8")
    assert session_names(text) == LEARNER_SESSIONS
    assert "SUPPORTED_PYTHONS" not in text
    kit = (KIT_ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert session_names(learner_noxfile(kit)) == LEARNER_SESSIONS
    listed = subprocess.run(
        [sys.executable, "-m", "nox", "-l"], cwd=edition, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    shown = {line[2:].split(" -> ")[0] for line in listed.stdout.splitlines() if " -> " in line}
    assert shown == LEARNER_SESSIONS


def test_the_edition_readme_drops_the_staff_sections():
    readme = learner_readme((KIT_ROOT / "README.md").read_text(encoding="utf-8"))
    assert "## For instructors" not in readme
    assert "## For maintainers" not in readme
    assert "nox -t kit" not in readme
    assert "## Working an exercise" in readme
    assert "nox -s grade" in readme


def test_grading_the_edition_shows_every_exercise_not_started(edition, manifest):
    graded = subprocess.run(
        [sys.executable, "-m", "grader", "grade"], cwd=edition, capture_output=True, text=True
    )
    assert graded.returncode == 1
    assert f"Score: 0/{_counted_points(manifest)} points" in graded.stdout
    for exercise in _runnable(manifest):
        assert f"not started   0/{exercise.points:<2}  {exercise.id}" in graded.stdout


def _runnable(manifest):
    """The exercises this Python can run (the others are unavailable, not counted)."""
    return [e for e in manifest.exercises if e.min_python <= sys.version_info[:2]]


def _counted_points(manifest):
    return sum(exercise.points for exercise in _runnable(manifest))


def test_the_github_workflow_grades_every_push_into_the_run_summary(edition, manifest, tmp_path):
    workflow = (edition / ".github/workflows/grade.yml").read_text(encoding="utf-8")
    assert "push:" in workflow
    assert "--platform github" in workflow
    # A Python on which no exercise is unavailable, or a finished kit could never score full.
    assert f'python-version: "{manifest.newest_python}"' in workflow
    summary = tmp_path / "step-summary.md"
    environment = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "CLASSROOM": "c",
                   "ASSIGNMENT": "asyncio", "COMMIT_URL": "https://example.invalid/c"}  # fmt: skip
    command = [sys.executable, "-m", "grader", "autograde", "--platform", "github",
               "--submission", "exercises", "--results", str(tmp_path / "result.json")]  # fmt: skip
    done = subprocess.run(command, cwd=edition, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert result["schema"] == "classroom50/result/v1"
    assert (result["score"], result["max-score"]) == (0, _counted_points(manifest))
    assert (result["classroom"], result["assignment"]) == ("c", "asyncio")
    assert result["review"] == "https://example.invalid/c"
    assert all(
        test.keys() >= {"test-name", "passed", "score", "max-score"} for test in result["tests"]
    )
    assert summary.read_text(encoding="utf-8").startswith(
        f"## Score: 0/{_counted_points(manifest)}"
    )


def test_work_that_cannot_be_graded_is_out_of_the_points_a_graded_result_counts(manifest, tmp_path):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "notes.txt").write_text("no code here", encoding="utf-8")
    results = tmp_path / "result.json"
    assert grade_for("github", tmp_path / "work", results, manifest, Credit()) == 0
    result = json.loads(results.read_text(encoding="utf-8"))
    assert (result["score"], result["max-score"]) == (0, _counted_points(manifest))
    assert result["message"].startswith("No exercise file was found")


def student_work(folder, fetch_all_solved=True):
    source = "solutions" if fetch_all_solved else "exercises"
    folder.mkdir(parents=True)
    (folder / "fetch_all.py").write_bytes((KIT_ROOT / source / FETCH_ALL).read_bytes())


def run_script(script, environment):
    return subprocess.run(
        ["bash", str(script)], env={**os.environ, **environment, "KIT_PYTHON": sys.executable},
        capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("handed_in", ["fetch_all solved", "nothing"])
def test_the_gradescope_bundle_grades_a_submission_end_to_end(tmp_path, handed_in):
    bundle = tmp_path / "autograder.zip"
    gradescope_bundle(bundle, credit="per-test", visibility="after_due_date")
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        assert {"setup.sh", "run_autograder", "requirements.txt"} <= names
        assert not [n for n in names if n.startswith("solutions/") or "wrong_answers" in n]
        root = tmp_path / "autograder"
        archive.extractall(root / "source")
    assert subprocess.run(["bash", "-n", str(root / "source/setup.sh")]).returncode == 0
    if handed_in == "nothing":
        (root / "submission").mkdir(parents=True)
    else:
        student_work(root / "submission")
    done = run_script(root / "source/run_autograder", {"AUTOGRADER_ROOT": str(root)})
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results/results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, json.loads((SCHEMAS / "gradescope.schema.json").read_text()))
    if handed_in == "nothing":
        assert results["score"] == 0
        assert "could not be graded" in results["output"]
        return
    assert results["score"] == 10
    fetch_all_tests = [t for t in results["tests"] if t["name"].startswith("fetch_all:")]
    assert len(fetch_all_tests) >= 4  # per-test credit: one Gradescope test per kit test
    assert sum(t["score"] for t in fetch_all_tests) == pytest.approx(10)
    assert {t["visibility"] for t in results["tests"]} == {"after_due_date"}


def test_the_prairielearn_grader_writes_its_results_format(manifest, tmp_path):
    root = tmp_path / "grade"
    prairielearn_bundle(root / "serverFilesCourse" / "asyncio_kit", credit="all-or-nothing")
    student_work(root / "student")
    # The image grades every exercise: none needs a newer Python than it has.
    dockerfile = (root / "serverFilesCourse/asyncio_kit/Dockerfile").read_text(encoding="utf-8")
    assert f"FROM python:{manifest.newest_python}-slim" in dockerfile
    run = root / "serverFilesCourse/asyncio_kit/run.sh"
    done = run_script(run, {"PL_GRADE_ROOT": str(root)})
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results/results.json").read_text(encoding="utf-8"))
    assert results["gradable"] is True
    assert results["score"] == pytest.approx(10 / _counted_points(manifest), abs=1e-4)
    assert 0 <= results["score"] <= 1
    by_name = {test["name"].split(":")[0]: test for test in results["tests"]}
    assert (by_name["fetch_all"]["points"], by_name["fetch_all"]["max_points"]) == (10, 10)
    assert (by_name["deadline"]["points"], by_name["deadline"]["max_points"]) == (0, 10)


def test_prairielearn_is_told_when_nothing_can_be_graded(tmp_path):
    root = tmp_path / "grade"
    prairielearn_bundle(root / "serverFilesCourse" / "asyncio_kit", credit="all-or-nothing")
    (root / "student").mkdir(parents=True)
    (root / "student" / "notes.txt").write_text("no code", encoding="utf-8")
    done = run_script(root / "serverFilesCourse/asyncio_kit/run.sh", {"PL_GRADE_ROOT": str(root)})
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results/results.json").read_text(encoding="utf-8"))
    assert results["gradable"] is False
    assert "No exercise file was found" in results["message"]
