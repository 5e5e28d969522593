"""Running the exercise tests in a separate pytest process and reading back the results.

A separate process keeps the grader alive whatever learner code does (``os._exit``, a
crash in C code). When the whole run dies, each exercise is run again on its own so one
broken exercise cannot stop the others from being graded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.host.outcomes import ExerciseOutcome, crashed, fold, read_records
from grader.manifest import KIT_ROOT, Exercise

# A last line of defence in real seconds, far above any honest run: each test already has
# its own pytest-timeout limit, this catches a hang that escapes it.
_RUN_LIMIT_BASE, _RUN_LIMIT_PER_EXERCISE = 60, 30


@dataclass(frozen=True)
class RunOptions:
    """What to run the tests against and what extra files pytest should write."""

    against: str = "exercises"
    junit_path: Path | None = None
    submission: Path | None = None  # a folder laid out like exercises/, graded instead of it
    extra_args: tuple[str, ...] = ()


def run_exercises(exercises: tuple[Exercise, ...], options: RunOptions) -> list[ExerciseOutcome]:
    """Run the tests of ``exercises`` and fold them into one outcome each."""
    outcomes, stderr = _run_once(exercises, options)
    if outcomes is not None:
        return outcomes
    if len(exercises) == 1:
        return crashed(exercises, f"The test run stopped before it finished:\n{stderr}")
    result: list[ExerciseOutcome] = []
    for exercise in exercises:
        alone = RunOptions(
            options.against, submission=options.submission, extra_args=options.extra_args
        )
        single, single_stderr = _run_once((exercise,), alone)
        result += single or crashed(
            (exercise,), f"The test run stopped before it finished:\n{single_stderr}"
        )
    return result


def _run_once(
    exercises: tuple[Exercise, ...], options: RunOptions
) -> tuple[list[ExerciseOutcome] | None, str]:
    args = [f"--against={options.against}", *options.extra_args]
    if options.submission is not None:
        args.append(f"--exercises-dir={options.submission.resolve()}")
    if options.junit_path is not None:
        args.append(f"--junitxml={options.junit_path}")
    paths = [str(exercise.test_path) for exercise in exercises]
    limit = _RUN_LIMIT_BASE + _RUN_LIMIT_PER_EXERCISE * len(exercises)
    records, why = run_pytest(paths, args, limit)
    if records is None:
        return None, why
    tree = options.submission or KIT_ROOT / options.against
    return fold(exercises, records, tree, options.against), ""


def test_environment() -> dict[str, str]:
    """The environment of a test run: compiled files are cached under .kit/, not beside code.

    Caching keeps repeated grading fast (pytest rewrites and compiles every test module
    otherwise), and the learner's folders and submissions stay free of __pycache__.
    """
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(KIT_ROOT / ".kit" / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_pytest(
    paths: list[str], args: list[str], limit: float
) -> tuple[dict[str, Any] | None, str]:
    """Run pytest on ``paths`` in a new process; its records, or None and why it died."""
    with tempfile.TemporaryDirectory(prefix="asyncio-kit-") as scratch:
        results_path = Path(scratch) / "results.json"
        command = [sys.executable, "-m", "pytest", *paths, f"--results-json={results_path}",
                   "-q", "--no-header", "-p", "no:warnings", *args]  # fmt: skip
        try:
            completed = subprocess.run(
                command,
                cwd=KIT_ROOT,
                capture_output=True,
                text=True,
                check=False,
                env=test_environment(),
                timeout=limit,
            )
        except subprocess.TimeoutExpired:
            return None, "The tests ran far longer than they ever should and were stopped."
        if not results_path.is_file():
            tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-15:])
            return None, tail
        return read_records(results_path), ""
