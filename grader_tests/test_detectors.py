"""Each mistake detector fails a test with a learner-worded message, and clean code passes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from grader.manifest import KIT_ROOT

CASES = Path(__file__).with_name("detector_cases") / "cases.py"


@pytest.fixture(scope="module")
def failures() -> dict[str, str]:
    """Each case's output, from one pytest run of the cases file (its own sections)."""
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(CASES), "--timeout=1", "-p", "no:warnings",
         "-o", "python_files=cases.py"],
        cwd=KIT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    sections = re.split(r"^_{3,} (test_\w+) _{3,}$", completed.stdout, flags=re.MULTILINE)
    found = dict(zip(sections[1::2], sections[2::2], strict=True))
    found["summary"] = completed.stdout.splitlines()[-1]
    return found


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("test_deadlock", "Deadlock at t=2 s of event-loop time"),
        ("test_never_awaited", "The coroutine work() was created but never awaited"),
        ("test_pending_task", "Task 'forgotten' (work()), created at grader_tests/detector_cases"),
        ("test_unretrieved_exception", "A task failed with ValueError('kaput')"),
        ("test_blocking_call", "Blocking call time.sleep() inside a coroutine"),
        ("test_busy_loop", "The event loop did not get control back for a long stretch"),
        ("test_task_that_ignores_cancellation", "Task 'stubborn' ignored cancellation"),
    ],
)
def test_each_mistake_fails_its_test_with_a_learner_message(failures, case, words):
    assert words in failures[case]


@pytest.mark.timeout(60)
def test_clean_code_passes_and_nothing_else_does(failures):
    assert "test_clean_code_passes" not in failures
    assert "7 failed, 1 passed" in failures["summary"]
