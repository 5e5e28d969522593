"""``python -m grader.host.benchmark``: how fast the suite runs against solutions/.

Prints the number of tests, the wall time of a pytest run of the whole suite against
``solutions/``, the wall time of a pytest run of the same number of trivial async tests
(pytest-asyncio on a plain event loop), and the ratio of the two. Each run is a fresh
process, timed from start to exit; the best of ``--repeat`` runs is kept, which filters out
noise from other work on the machine. Both suites run with the grader's environment, where
compiled files are cached as on a learner's machine. The target is a ratio of at most 2.

Then the slow-mistake figures: grading one exercise (``fetch_all``) with each mistake that
used to cost a timeout (a deadlock, a busy loop, an endless await loop, polling with
``sleep(0)``), against grading its solution. The target is again at most 2.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.host.runner import test_environment
from grader.manifest import KIT_ROOT

TARGET_RATIO = 2.0
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


def _timed_run(command: list[str], cwd: Path, allowed: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env=test_environment()
    )
    elapsed = time.perf_counter() - started
    if completed.returncode not in allowed:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout[-2000:]}")
    return elapsed


def _count_tests(results: Path) -> int:
    return len(json.loads(results.read_text(encoding="utf-8"))["tests"])


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m grader.host.benchmark")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each suite (best kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asyncio-kit-bench-") as scratch:
        folder = Path(scratch)
        results = folder / "results.json"
        suite = [sys.executable, "-m", "pytest", "-q", "-p", "no:warnings",
                 "--against=solutions", f"--results-json={results}"]  # fmt: skip
        suite_time = min(_timed_run(suite, KIT_ROOT) for _ in range(args.repeat))
        count = _count_tests(results)

        trivial_dir = folder / "trivial"
        trivial_dir.mkdir()
        (trivial_dir / "pytest.ini").write_text(_TRIVIAL_CONFIG, encoding="utf-8")
        body = "".join(f"async def test_{n}():\n    pass\n\n\n" for n in range(count))
        (trivial_dir / "test_trivial.py").write_text(body, encoding="utf-8")
        trivial = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        trivial_time = min(_timed_run(trivial, trivial_dir) for _ in range(args.repeat))

    ratio = suite_time / trivial_time
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"tests: {count}")
    print(f"suite against solutions/: {suite_time:.2f} s (best of {args.repeat})")
    print(f"{count} trivial async tests:  {trivial_time:.2f} s (best of {args.repeat})")
    print(f"ratio: {ratio:.2f} ({verdict} the target of {TARGET_RATIO:g})")
    slow_mistakes(args.repeat)


def slow_mistakes(repeat: int) -> None:
    """Print how long grading one exercise takes with each never-ending mistake."""
    exercise_id = Path(SLOW_MISTAKE_EXERCISE).stem
    grade = [sys.executable, "-m", "grader", "grade"]
    solution = min(
        _timed_run([*grade, "--against=solutions", exercise_id], KIT_ROOT) for _ in range(repeat)
    )
    print(f"\ngrading {exercise_id} against its solution: {solution:.2f} s (best of {repeat})")
    with tempfile.TemporaryDirectory(prefix="asyncio-kit-bench-") as scratch:
        for name, code in SLOW_MISTAKES.items():
            folder = Path(scratch) / name.replace(" ", "_")
            shutil.copytree(KIT_ROOT / "exercises", folder)
            (folder / SLOW_MISTAKE_EXERCISE).write_text(code, encoding="utf-8")
            command = [*grade, f"--submission={folder}", exercise_id]
            took = min(_timed_run(command, KIT_ROOT, allowed=(1,)) for _ in range(repeat))
            ratio = took / solution
            verdict = "within" if ratio <= TARGET_RATIO else "OVER"
            print(
                f"  {name + ':':<22} {took:.2f} s, ratio {ratio:.2f} "
                f"({verdict} the target of {TARGET_RATIO:g})"
            )


if __name__ == "__main__":
    main()
