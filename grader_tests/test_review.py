"""The host's review of submitted code: what reaches for the grader is named, nothing else is."""

from __future__ import annotations

import pytest

from grader.course.batch import Graded
from grader.course.gradebook import flags
from grader.course.intake import Submission
from grader.host.outcomes import PASSED, ExerciseOutcome
from grader.host.review import findings
from grader.manifest import KIT_ROOT


def kit_files():
    """Every solution, stub and known wrong answer: code an honest learner could write."""
    return sorted(
        [
            *KIT_ROOT.glob("solutions/*/*.py"),
            *KIT_ROOT.glob("exercises/*/*.py"),
            *KIT_ROOT.glob("tests/*/wrong_answers/*/*.py"),
        ]
    )


def test_no_solution_stub_or_known_wrong_answer_is_flagged():
    files = kit_files()
    assert len(files) > 500
    flagged = {str(path.relative_to(KIT_ROOT)): findings(path) for path in files if findings(path)}
    assert flagged == {}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import _pytest.runner\n", "imports _pytest.runner"),
        ("from grader.inside import integrity\n", "imports grader.inside.integrity"),
        ("import pytest\n", "imports pytest"),
        ("import importlib\nm = importlib.import_module('os')\n", "imports importlib"),
        ("m = __import__('o' + 's')\n", "calls __import__()"),
        ("eval('1 + 1')\n", "calls eval()"),
        ("def f():\n    pass\n\ng = f.__globals__\n", "reads __globals__"),
        ("def f():\n    pass\n\ng = getattr(f, '__closure__')\n", "names __closure__"),
        ("import sys as s\n\nm = s.modules\n", "uses sys.modules"),
        ("from sys import modules\n", "imports sys.modules"),
        ("subclasses = object.__subclasses__()\n", "reads __subclasses__"),
        ("name = '_pytest.assertion.util'\n", "names the module _pytest.assertion.util"),
        (
            "import asyncio\n\nasyncio.get_running_loop().integrity_probe = None\n",
            "uses the kit's event loop's own integrity_probe",
        ),
    ],
)
def test_code_that_reaches_for_the_grader_is_named(tmp_path, code, expected):
    path = tmp_path / "fetch_all.py"
    path.write_text(code, encoding="utf-8")
    assert expected in findings(path)


def test_a_file_nested_deeper_than_the_parser_goes_is_named_not_a_crash(tmp_path):
    path = tmp_path / "fetch_all.py"
    path.write_text("x = " + "-" * 200_000 + "1\n", encoding="utf-8")
    assert findings(path) == ["is too deeply nested to be read"]


def test_a_file_that_does_not_parse_has_nothing_to_review(tmp_path):
    path = tmp_path / "fetch_all.py"
    path.write_text("def broken(:\n", encoding="utf-8")
    assert findings(path) == []


def test_the_gradebook_flags_a_passed_exercise_whose_code_reaches_for_the_grader(manifest):
    exercise = manifest.by_id("fetch_all")
    outcome = ExerciseOutcome(exercise, PASSED, review="imports _pytest.reports")
    result = Graded(Submission("student", "student", "folder"), [outcome])
    assert "read the code of fetch_all: it imports _pytest.reports" in flags(result)
