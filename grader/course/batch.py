"""``grade-all``: grade a whole class, in parallel, resumably, into a gradebook and a summary.

Each submission is graded by ``grader.host.runner.run_exercises`` exactly as a single
``grade --submission`` would (its own test process and sandbox); the batch adds only the
intake, the scheduling and the outputs. Workers are threads because the work happens in the
test processes they start: ``--jobs`` of those run at once, one per core by default.
"""

from __future__ import annotations

import os
import queue
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
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
    waiting = 0  # submissions whose content is not graded yet, counting identical ones
    for submission in gradable:
        digest = submission.content_hash()
        if options.force or store.load(digest, manifest, options.exercises) is None:
            waiting += 1
            pending.setdefault(digest, submission)
    notes = [f"{len(gradable) - waiting} already graded", f"{len(pending)} to grade"]
    if waiting > len(pending):
        notes.append(f"{waiting - len(pending)} identical to another one")
    if len(submissions) > len(gradable):
        notes.append(f"{len(submissions) - len(gradable)} that cannot be graded")
    print(f"{len(submissions)} submissions: {', '.join(notes)}")
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
    """Grade ``pending`` on ``options.jobs`` worker threads, storing each result as it comes.

    The workers are daemon threads, so Ctrl-C ends the batch at once instead of waiting for
    the submissions in flight; those are not stored (their test processes were interrupted
    too) and are graded by the next run.
    """
    tasks: queue.SimpleQueue[tuple[str, Submission]] = queue.SimpleQueue()
    for item in pending.items():
        tasks.put(item)
    finished: queue.SimpleQueue[tuple[Submission, float, BaseException | None]]
    finished = queue.SimpleQueue()
    stopping = threading.Event()

    def work() -> None:
        while not stopping.is_set():
            try:
                digest, submission = tasks.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            try:
                with tempfile.TemporaryDirectory(prefix="asyncio-kit-batch-") as scratch:
                    folder = Path(scratch) / submission.key
                    submission.write(folder)
                    outcomes = grader(options.exercises, folder)
                if not stopping.is_set():
                    store.save(digest, outcomes)
                finished.put((submission, time.perf_counter() - started, None))
            except BaseException as error:  # handed to the main thread, which raises it
                finished.put((submission, 0.0, error))

    for _ in range(min(options.jobs, len(pending))):
        threading.Thread(target=work, daemon=True).start()
    try:
        for _ in pending:
            submission, seconds, error = finished.get()
            if error is not None:
                raise error
            progress.advance(submission, seconds)
    except KeyboardInterrupt:
        stopping.set()
        print(
            f"\nStopped. Every finished submission is kept in {store.folder}; "
            "run the same command again to grade the rest.",
            file=sys.stderr,
        )
        raise
    finally:
        stopping.set()


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
