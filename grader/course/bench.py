"""``python -m grader.course.bench``: how fast a class is graded (maintainers: needs solutions/).

Generates a class (200 students by default: solutions, stubs and known wrong answers, three
of them hostile), grades it as ``grade-all`` does into a fresh folder, outputs included, and
prints submissions per minute; the batch itself says how many exercise files it graded
and how many it reused (every file a fake student worked on carries their name, as real work
would differ, so mostly the untouched stubs are shared). It then times single grades
(``run_exercises`` on one submission, one after another) of a random sample of the same
class and prints the batch's overhead per submission: the batch's wall time per submission
times its parallel jobs, minus a single grade's time, negative when reuse saves more than
the batch costs. The target is the whole class in at most 4 minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from grader.course.batch import BatchOptions, grade_class
from grader.course.commands import write_outputs
from grader.course.fakeclass import generate
from grader.course.intake import discover
from grader.host.credit import Credit
from grader.host.runner import RunOptions, run_exercises
from grader.manifest import load_manifest

TARGET_SECONDS = 240


def main() -> None:
    """Generate, grade, time and print."""
    parser = argparse.ArgumentParser(prog="python -m grader.course.bench")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=10, help="single grades to time")
    parser.add_argument("--out", type=Path, help="keep the gradebook and summary here")
    args = parser.parse_args()
    manifest = load_manifest()
    with tempfile.TemporaryDirectory(prefix="asyncio-kit-bench-batch-") as scratch:
        root = Path(scratch)
        generate(root / "class", args.students, manifest.exercises)
        out = args.out or root / "out"
        options = BatchOptions(out, manifest.exercises, Credit(), jobs=args.jobs, force=True)
        started = time.perf_counter()
        results = grade_class(root / "class", manifest, options)
        write_outputs(results, options)
        batch = time.perf_counter() - started
        # Single grades of ordinary students (the hostile ones are the first few), drawn at
        # random from the whole class so that the sample has the class's mix of work.
        ordinary = discover(root / "class", manifest, root / "scratch")[3:]
        sample = random.Random(1).sample(ordinary, min(args.sample, len(ordinary)))
        singles = []
        for submission in sample:
            folder = root / "single" / submission.key
            submission.write(folder)
            began = time.perf_counter()
            run_exercises(manifest.exercises, RunOptions(submission=folder))
            singles.append(time.perf_counter() - began)
    per_submission = batch / len(results)
    single = statistics.fmean(singles)
    overhead = per_submission * args.jobs - single
    verdict = "within" if batch <= TARGET_SECONDS else "OVER"
    print(f"students: {len(results)}, jobs: {args.jobs}, cores: {os.cpu_count()}")
    print(f"batch: {batch:.1f} s ({verdict} the target of {TARGET_SECONDS} s)")
    print(f"submissions per minute: {60 * len(results) / batch:.1f}")
    print(f"single grade (mean of {len(singles)}, one at a time): {single:.2f} s")
    print(f"batch per submission x jobs: {per_submission * args.jobs:.2f} s")
    print(f"batch overhead per submission: {overhead:+.2f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
