"""``python -m grader.host.benchmark``: how fast the suite runs against solutions/.

Prints the number of tests, the wall time of a pytest run of the whole suite against
``solutions/``, the wall time of a pytest run of the same number of trivial async tests
(pytest-asyncio on a plain event loop), and the ratio of the two. Each run is a fresh
process, timed from start to exit; the two suites take turns, and the best of ``--repeat``
runs of each is kept, which filters out noise from other work on the machine. Both suites
run with the grader's environment, where compiled files are cached as on a learner's
machine. The target is a ratio of at most 2.

Then it grades the solutions as a submission twice over, in the sandbox (bubblewrap, or the
fallback where bubblewrap cannot run) and unsandboxed, and prints the ratio of the two;
the target is at most 1.5.

Last, the slow-mistake figures: grading one exercise (``fetch_all``) with each mistake that
used to cost a timeout (a deadlock, a busy loop, an endless await loop, polling with
``sleep(0)``), against grading its solution the same way (on the learner's path, without a
sandbox). The target is again at most 2.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.host.outcomes import PASSED, UNAVAILABLE
from grader.host.runner import PLUGIN_ARGS, RunOptions, run_exercises, test_environment
from grader.manifest import KIT_ROOT, load_manifest

TARGET_RATIO = 2.0
SANDBOX_TARGET_RATIO = 1.5
_TRIVIAL_CONFIG = """\
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""


# One exercise with each mistake that never ends on its own, as a learner might write it.
SLOW_MISTAKE_EXERCISE = "02_tasks/fetch_all.py"
SLOW_MISTAKES = {
    "deadlock": "import asyncio\n\n\nasync def fetch_all(urls, download):\n"
    "    await asyncio.Event().wait()\n",
    "busy loop": "async def fetch_all(urls, download):\n    while True:\n        pass\n",
    "endless await loop": "import asyncio\n\n\nasync def fetch_all(urls, download):\n"
    "    while True:\n        await asyncio.sleep(1)\n",
    "polling with sleep(0)": "import asyncio\n\n\nasync def fetch_all(urls, download):\n"
    "    while not urls:\n        await asyncio.sleep(0)\n    while True:\n"
    "        await asyncio.sleep(0)\n",
}


def _timed_run(command: list[str], cwd: Path, allowed: tuple[int, ...] = (0,)) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env=test_environment()
    )
    elapsed = time.perf_counter() - started
    if completed.returncode not in allowed:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout[-2000:]}")
    return elapsed, completed.stdout


def _count_passed(output: str) -> int:
    found = re.search(r"(\d+) passed", output)
    if found is None:
        raise SystemExit(f"no passed tests in the suite's output:\n{output[-2000:]}")
    return int(found.group(1))


def _best_grade(options: RunOptions, repeat: int) -> float:
    """Best-of-``repeat`` wall time of grading every exercise with ``options``."""
    exercises = load_manifest().exercises
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        outcomes = run_exercises(exercises, options)
        best = min(best, time.perf_counter() - started)
        if any(outcome.status not in (PASSED, UNAVAILABLE) for outcome in outcomes):
            raise SystemExit("the solutions did not all pass when graded as a submission")
    return best


def sandbox_figures(repeat: int) -> None:
    """The solutions graded as a submission in the sandbox, against the same run unsandboxed."""
    with tempfile.TemporaryDirectory(prefix="asyncio-kit-bench-") as scratch:
        submission = Path(scratch) / "submission"
        shutil.copytree(KIT_ROOT / "solutions", submission)
        sandboxed = RunOptions(submission=submission)
        isolation = run_exercises(load_manifest().exercises[:1], sandboxed)[0].isolation
        sandbox_time = _best_grade(sandboxed, repeat)
        plain_time = _best_grade(RunOptions(submission=submission, isolation="none"), repeat)
    ratio = sandbox_time / plain_time
    verdict = "within" if ratio <= SANDBOX_TARGET_RATIO else "OVER"
    print(f"solutions graded as a submission, sandboxed: {sandbox_time:.2f} s ({isolation})")
    print(f"the same, unsandboxed:                       {plain_time:.2f} s")
    print(f"sandbox ratio: {ratio:.2f} ({verdict} the target of {SANDBOX_TARGET_RATIO:g})")


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m grader.host.benchmark")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each suite (best kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asyncio-kit-bench-") as scratch:
        folder = Path(scratch)
        # Both suites load the plugins a graded run loads (see test_environment).
        suite = [sys.executable, "-m", "pytest", *PLUGIN_ARGS, "-q", "--against=solutions"]
        first_time, output = _timed_run(suite, KIT_ROOT)
        count = _count_passed(output)

        trivial_dir = folder / "trivial"
        trivial_dir.mkdir()
        (trivial_dir / "pytest.ini").write_text(_TRIVIAL_CONFIG, encoding="utf-8")
        body = "".join(f"async def test_{n}():\n    pass\n\n\n" for n in range(count))
        (trivial_dir / "test_trivial.py").write_text(body, encoding="utf-8")
        trivial = [sys.executable, "-m", "pytest", *PLUGIN_ARGS, "-q", "-p", "no:cacheprovider"]
        # The two suites take turns, so that a change in the machine's speed (this one's
        # moves by a fifth within an hour) falls on both alike.
        suite_times, trivial_times = [first_time], [_timed_run(trivial, trivial_dir)[0]]
        for _ in range(args.repeat - 1):
            suite_times.append(_timed_run(suite, KIT_ROOT)[0])
            trivial_times.append(_timed_run(trivial, trivial_dir)[0])
        suite_time, trivial_time = min(suite_times), min(trivial_times)

    ratio = suite_time / trivial_time
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"tests: {count}")
    print(f"suite against solutions/: {suite_time:.2f} s (best of {args.repeat})")
    print(f"{count} trivial async tests:  {trivial_time:.2f} s (best of {args.repeat})")
    print(f"ratio: {ratio:.2f} ({verdict} the target of {TARGET_RATIO:g})")
    sandbox_figures(args.repeat)
    slow_mistakes(args.repeat)


def slow_mistakes(repeat: int) -> None:
    """Print how long grading one exercise takes with each never-ending mistake."""
    exercise_id = Path(SLOW_MISTAKE_EXERCISE).stem
    with tempfile.TemporaryDirectory(prefix="asyncio-kit-bench-") as scratch:
        solution_folder = Path(scratch) / "solution"
        shutil.copytree(KIT_ROOT / "solutions", solution_folder)
        grade = [sys.executable, "-m", "grader", "grade", "--isolation=none", exercise_id]
        solution = min(
            _timed_run([*grade, f"--submission={solution_folder}"], KIT_ROOT)[0]
            for _ in range(repeat)
        )
        print(f"\ngrading {exercise_id} against its solution: {solution:.2f} s (best of {repeat})")
        for name, code in SLOW_MISTAKES.items():
            folder = Path(scratch) / name.replace(" ", "_")
            shutil.copytree(KIT_ROOT / "exercises", folder)
            (folder / SLOW_MISTAKE_EXERCISE).write_text(code, encoding="utf-8")
            command = [*grade, f"--submission={folder}"]
            took = min(_timed_run(command, KIT_ROOT, allowed=(1,))[0] for _ in range(repeat))
            ratio = took / solution
            verdict = "within" if ratio <= TARGET_RATIO else "OVER"
            print(
                f"  {name + ':':<22} {took:.2f} s, ratio {ratio:.2f} "
                f"({verdict} the target of {TARGET_RATIO:g})"
            )


if __name__ == "__main__":
    main()
