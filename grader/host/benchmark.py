"""``python -m grader.host.benchmark``: how fast the suite runs against solutions/.

Prints the number of tests, the wall time of a pytest run of the whole suite against
``solutions/``, the wall time of a pytest run of the same number of trivial async tests
(pytest-asyncio on a plain event loop), and the ratio of the two. Each run is a fresh
process, timed from start to exit; the best of ``--repeat`` runs is kept, which filters out
noise from other work on the machine. Both suites run with the grader's environment, where
compiled files are cached as on a learner's machine. The target is a ratio of at most 2.
"""

from __future__ import annotations

import argparse
import json
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


def _timed_run(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env=test_environment()
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
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


if __name__ == "__main__":
    main()
