"""``grade-all``: grade a whole class, in parallel, resumably, into a gradebook and a summary.

Each submission is graded by ``grader.host.runner.run_exercises`` exactly as a single
``grade --submission`` would (its own test process and sandbox); the batch adds only the
intake, the scheduling and the outputs. Workers are threads because the work happens in the
test processes they start: ``--jobs`` of those run at once, one per core by default.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from grader.course.intake import Submission, discover
from grader.course.store import ResultStore
from grader.host import credit as credit_rule
from grader.host.credit import Credit
from grader.host.outcomes import ExerciseOutcome
from grader.host.report import wants_colour
from grader.host.runner import RunOptions, run_exercises
from grader.manifest import Exercise, Manifest

Grader = Callable[[tuple[Exercise, ...], Path], list[ExerciseOutcome]]


@dataclass(frozen=True)
class BatchOptions:
    """What to grade and how."""

    out: Path
    exercises: tuple[Exercise, ...]
    credit: Credit
    jobs: int = os.cpu_count() or 1
    force: bool = False


@dataclass
class Graded:
    """One student's result: outcomes, or the problem that kept the work from being graded."""

    submission: Submission
    outcomes: list[ExerciseOutcome]

    @property
    def total(self) -> float:
        """Points earned over the graded exercises."""
        return credit_rule.tidy(sum(outcome.points for outcome in self.outcomes))


class Progress(Protocol):
    """Reports the batch's progress as submissions finish."""

    def advance(self, submission: Submission, seconds: float) -> None:
        """One more submission is graded."""


def grade_class(
    source: Path, manifest: Manifest, options: BatchOptions, grader: Grader | None = None
) -> list[Graded]:
    """Grade every submission in ``source`` that has no stored result (all with ``force``).

    Results are stored as each submission finishes, so an interrupted batch loses only the
    submissions being graded at that moment. Returns every student's result, in order.
    """
    grader = grader or _run
    options.out.mkdir(parents=True, exist_ok=True)
    store = ResultStore(options.out)
    submissions = discover(source, manifest, options.out / ".intake")
    gradable = [s for s in submissions if not s.problem]
    pending: dict[str, Submission] = {}
    for submission in gradable:
        digest = submission.content_hash()
        stored = store.load(digest, manifest, options.exercises)
        if (options.force or stored is None) and digest not in pending:
            pending[digest] = submission
    refused = len(submissions) - len(gradable)
    print(
        f"{len(submissions)} submissions: {len(gradable) - len(pending)} already graded, "
        f"{len(pending)} to grade" + (f", {refused} that cannot be graded" if refused else "")
    )
    with _progress(len(pending)) as progress:
        _grade_pending(pending, options, store, grader, progress)
    results = []
    for submission in submissions:
        outcomes: list[ExerciseOutcome] = []
        if not submission.problem:
            outcomes = store.load(submission.content_hash(), manifest, options.exercises) or []
            credit_rule.apply(outcomes, options.credit)
        results.append(Graded(submission, outcomes))
    return results


def _grade_pending(
    pending: dict[str, Submission],
    options: BatchOptions,
    store: ResultStore,
    grader: Grader,
    progress: Progress,
) -> None:
    def grade(digest: str, submission: Submission) -> tuple[Submission, float]:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="asyncio-kit-batch-") as scratch:
            folder = Path(scratch) / submission.key
            submission.write(folder)
            outcomes = grader(options.exercises, folder)
        store.save(digest, outcomes)
        return submission, time.perf_counter() - started

    queue = iter(pending.items())
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        running: set[Future[tuple[Submission, float]]] = set()
        try:
            while True:
                # Keep exactly --jobs submissions in flight, so an interrupt leaves no backlog.
                for digest, submission in queue:
                    running.add(pool.submit(grade, digest, submission))
                    if len(running) >= options.jobs:
                        break
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    progress.advance(*future.result())
        except KeyboardInterrupt:
            for future in running:
                future.cancel()
            print(
                f"\nStopped. Every finished submission is kept in {store.folder}; "
                "run the same command again to grade the rest.",
                file=sys.stderr,
            )
            raise


def _run(exercises: tuple[Exercise, ...], folder: Path) -> list[ExerciseOutcome]:
    return run_exercises(exercises, RunOptions(submission=folder))


@contextmanager
def _progress(total: int) -> Iterator[Progress]:
    """A Rich progress bar with count and ETA on a terminal, plain lines otherwise."""
    if total and wants_colour(sys.stdout):
        with _RichProgress(total) as bar:
            yield bar
    else:
        yield _PlainProgress(total)


class _PlainProgress:
    def __init__(self, total: int) -> None:
        self.total, self.done, self.started = total, 0, time.perf_counter()

    def advance(self, submission: Submission, seconds: float) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.started
        left = elapsed / self.done * (self.total - self.done)
        print(
            f"[{self.done}/{self.total}] {submission.key} graded in {seconds:.1f} s, "
            f"about {left:.0f} s left",
            flush=True,
        )


class _RichProgress:
    def __init__(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("grading"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[last]}"),
        )
        self.task = self.bar.add_task("grading", total=total, last="")

    def __enter__(self) -> _RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def advance(self, submission: Submission, seconds: float) -> None:
        self.bar.update(self.task, advance=1, last=submission.key)
