"""Batch grading a small generated class: resumable, faithful to single grades, summarised.

The class has five students (solved, stubs, two mixed, one whose code ends the test process)
graded on three exercises, once for the module; tests that only need to know whom the batch
grades use a stand-in grader that answers at once.
"""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from grader.course.batch import BatchOptions, grade_class
from grader.course.fakeclass import student_files
from grader.host.credit import PER_TEST, Credit
from grader.host.outcomes import crashed
from grader.host.runner import RunOptions, run_exercises
from grader.manifest import KIT_ROOT

pytestmark = pytest.mark.timeout(240)
SELECTED = ("await_the_result", "fetch_all", "catch_the_failure")
STYLES = ("solved", "stubs", "mixed", "mixed", "exits")


@pytest.fixture(scope="module")
def exercises(manifest):
    return tuple(manifest.by_id(name) for name in SELECTED)


def make_class(root, exercises):
    """Five students' folders (the same every time), as a class folder."""
    rng = random.Random(3)
    for number, style in enumerate(STYLES):
        for relative, content in student_files(exercises, rng, style).items():
            path = root / f"s{number}_{style}" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    return root


@pytest.fixture(scope="module")
def graded(tmp_path_factory, exercises):
    """The class, plus a stray file and a folder with no exercise in it, graded once."""
    root = make_class(tmp_path_factory.mktemp("batch") / "class", exercises)
    (root / "notes.txt").write_text("not a submission", encoding="utf-8")
    (root / "zed").mkdir()
    (root / "zed" / "answers.txt").write_text("nothing here", encoding="utf-8")
    out = root.parent / "out"
    completed = grade_all(root, out, "--jobs", "2")
    assert completed.returncode == 0, completed.stderr
    return root, out


def counting_grader(calls, real=True):
    """A grader recording whom it grades; a fake one answers at once, every exercise an error."""

    def grade(exercises, folder):
        calls.append(folder.name)
        if real:
            return run_exercises(exercises, RunOptions(submission=folder))
        return crashed(exercises, "graded by the self-test's stand-in")

    return grade


def read_gradebook(out):
    with (out / "gradebook.csv").open(encoding="utf-8") as file:
        return {row["student"]: row for row in csv.DictReader(file)}


def grade_all(classroom, out, *extra):
    command = [sys.executable, "-m", "grader", "grade-all", str(classroom), "--out", str(out),
               "--exercises", *SELECTED, *extra]  # fmt: skip
    return subprocess.run(command, cwd=KIT_ROOT, capture_output=True, text=True, check=False)


def row_key(student):
    return re.sub(r"[^A-Za-z0-9]+", "_", student).lower()


def test_gradebook_totals_equal_single_grades_of_the_same_work(graded, exercises):
    classroom, out = graded
    gradebook = read_gradebook(out)
    students = sorted(f"s{number}_{style}" for number, style in enumerate(STYLES))
    assert sorted(gradebook) == [*students, "zed"]
    for student in students:
        single = run_exercises(exercises, RunOptions(submission=classroom / student))
        row = gradebook[student]
        assert float(row["total"]) == sum(outcome.points for outcome in single), student
        assert row["max"] == "20"
        for outcome in single:
            assert float(row[outcome.exercise.id]) == outcome.points
        feedback = out / "feedback" / row_key(student)
        report = (feedback / "report.txt").read_text(encoding="utf-8")
        assert report.startswith(f"Score: {row['total']}/20 points")
        exercism = json.loads((feedback / "exercism.json").read_text(encoding="utf-8"))
        assert sum(e["points"] for e in exercism["exercises"]) == float(row["total"])
        gradescope = json.loads((feedback / "gradescope.json").read_text(encoding="utf-8"))
        assert gradescope["score"] == float(row["total"])
    assert gradebook["s0_solved"]["total"] == "20"
    assert gradebook["s1_stubs"]["total"] == "0"
    assert "could not be graded" in gradebook["s4_exits"]["flags"]
    assert gradebook["zed"]["status"] == "error"
    assert gradebook["zed"]["message"].startswith("No exercise file was found")


def test_a_batch_killed_halfway_resumes_without_regrading_finished_work(
    tmp_path, manifest, exercises
):
    classroom = make_class(tmp_path / "class", exercises)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader", "grade-all", str(classroom), "--out", str(out),
               "--exercises", *SELECTED, "--jobs", "1"]  # fmt: skip
    batch = subprocess.Popen(command, cwd=KIT_ROOT, stdout=subprocess.DEVNULL)
    results = out / "results"
    deadline = time.monotonic() + 120
    while len(list(results.glob("*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # polls the real process's progress, not the code under test
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    kept = {path.name: path.read_bytes() for path in results.glob("*.json")}
    assert 2 <= len(kept) < len(STYLES), "the batch was not stopped halfway"
    assert all(json.loads(content)["outcomes"] for content in kept.values())
    files = list((out / "exercise-results").rglob("*.json"))
    assert files, "no exercise file's outcome was stored"
    assert all(json.loads(path.read_bytes())["outcome"] for path in files)

    calls: list[str] = []
    options = BatchOptions(out, exercises, Credit(), jobs=2)
    grade_class(classroom, manifest, options, counting_grader(calls, real=False))
    # The rest are graded, but only for files no finished submission held.
    assert len(list(results.glob("*.json"))) == len(STYLES)
    assert len(set(calls)) <= len(STYLES) - len(kept)
    for name, content in kept.items():
        assert (results / name).read_bytes() == content, "finished work was re-graded"

    calls.clear()
    grade_class(classroom, manifest, options, counting_grader(calls, real=False))
    assert calls == [], "a complete batch graded something again"


def test_force_grades_everything_again(graded, tmp_path, manifest, exercises):
    classroom, graded_out = graded
    out = shutil.copytree(graded_out, tmp_path / "out")
    calls: list[str] = []
    forced = BatchOptions(out, exercises, Credit(), jobs=2, force=True)
    grade_class(classroom, manifest, forced, counting_grader(calls, real=False))
    assert sorted(calls) == sorted(row_key(f"s{n}_{style}") for n, style in enumerate(STYLES))


def test_changed_work_is_graded_again_and_unchanged_work_is_not(
    graded, tmp_path, manifest, exercises
):
    classroom = shutil.copytree(graded[0], tmp_path / "class")
    out = shutil.copytree(graded[1], tmp_path / "out")
    # A file no other student handed in: the solution, signed.
    solved = (KIT_ROOT / "solutions/02_tasks/fetch_all.py").read_bytes() + b"# s1\n"
    (classroom / "s1_stubs" / "02_tasks" / "fetch_all.py").write_bytes(solved)
    calls: list[str] = []
    options = BatchOptions(out, exercises, Credit(), jobs=2)
    results = grade_class(classroom, manifest, options, counting_grader(calls))
    assert calls == ["s1_stubs"]
    by_key = {result.submission.key: result for result in results}
    assert by_key["s1_stubs"].total == 10


def test_per_test_credit_reaches_the_gradebook_without_grading_again(graded, tmp_path):
    classroom, graded_out = graded
    out = shutil.copytree(graded_out, tmp_path / "out")
    completed = grade_all(classroom, out, "--credit", PER_TEST)
    assert "5 already graded, 0 to grade" in completed.stdout
    gradebook = read_gradebook(out)
    assert gradebook["s0_solved"]["total"] == "20"
    assert gradebook["s1_stubs"]["total"] == "0"  # untouched stubs earn nothing
    for name in ("s2_mixed", "s3_mixed"):
        row = gradebook[name]
        assert float(row["total"]) == pytest.approx(sum(float(row[e]) for e in SELECTED))
        assert float(row["total"]) >= float(read_gradebook(graded_out)[name]["total"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["credit"] == PER_TEST


def test_the_class_summary_says_where_the_class_struggles(graded):
    _, out = graded
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["students"], summary["graded"], summary["max"]) == (6, 5, 20)
    by_id = {exercise["id"]: exercise for exercise in summary["exercises"]}
    assert list(by_id) == list(SELECTED)
    for exercise in by_id.values():
        counted = sum(exercise[k] for k in ("passed", "failed", "error", "not_started"))
        assert counted == 5
        assert exercise["pass_rate"] == round(exercise["passed"] / 5, 3)
        for test in exercise["failing_tests"]:
            assert test["students"] >= 1
            assert test["example"]
    attention = {item["student"]: item for item in summary["attention"]}
    assert "No exercise file was found" in attention["zed"]["problem"]
    assert any("could not be graded" in flag for flag in attention["s4_exits"]["flags"])

    page = (out / "summary.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert page.count("<svg") == 2
    for exercise in SELECTED:
        assert f">{exercise}</text>" in page
    for exercise in by_id.values():
        for test in exercise["failing_tests"]:
            assert test["sentence"] in page
    assert "No exercise file was found" in page
    # Self-contained: nothing is fetched (the SVG namespace is a name, not a request).
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert "<script" not in page
    assert "<link" not in page
