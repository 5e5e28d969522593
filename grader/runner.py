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

from grader.manifest import KIT_ROOT, Exercise
from grader.outcomes import ExerciseOutcome, crashed, fold, read_records


@dataclass(frozen=True)
class RunOptions:
    """What to run the tests against and what extra files pytest should write."""

    against: str = "exercises"
    junit_path: Path | None = None
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
        single, single_stderr = _run_once((exercise,), RunOptions(options.against))
        result += single or crashed(
            (exercise,), f"The test run stopped before it finished:\n{single_stderr}"
        )
    return result


def _run_once(
    exercises: tuple[Exercise, ...], options: RunOptions
) -> tuple[list[ExerciseOutcome] | None, str]:
    with tempfile.TemporaryDirectory(prefix="asyncio-kit-") as scratch:
        results_path = Path(scratch) / "results.json"
        command = [
            sys.executable,
            "-m",
            "pytest",
            *(str(exercise.test_path) for exercise in exercises),
            f"--against={options.against}",
            f"--results-json={results_path}",
            "-q",
            "--no-header",
            "-p",
            "no:warnings",
            *options.extra_args,
        ]
        if options.junit_path is not None:
            command.append(f"--junitxml={options.junit_path}")
        completed = subprocess.run(
            command,
            cwd=KIT_ROOT,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        if not results_path.is_file():
            tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-15:])
            return None, tail
        records = read_records(results_path)
    return fold(exercises, records, KIT_ROOT / options.against, options.against), ""
