"""``grade-all``: grade a whole class, in parallel, resumably, into a gradebook and a summary.

Each submission is graded by ``grader.host.runner.run_exercises`` as a single
``grade --submission`` would (its own test process and sandbox), but only for the exercise
files no earlier submission handed in: an exercise's outcome depends on the kit and its own
file alone, so each distinct file is graded once per batch and its outcome reused
(``grader.course.store.ExerciseCache``), errors excepted (see :func:`reusable`). The batch
adds the intake, that reuse, the scheduling and the outputs. Workers are threads because
the work happens in the test processes they start: ``--jobs`` of those run at once, one per
core by default.
"""

from __future__ import annotations

import os
import queue
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from grader.course.intake import Submission, discover
from grader.course.store import ExerciseCache, ResultStore, file_digest
from grader.host import credit as credit_rule
from grader.host.credit import Credit
from grader.host.outcomes import ERROR, ExerciseOutcome
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
    files = _Files(ExerciseCache(options.out), manifest, options.force)
    new, known = files.plan(pending.values(), options.exercises)
    notes = [
        f"{len(gradable) - waiting} already graded",
        f"{len(pending)} to grade ({new} exercise files to grade, {known} to reuse)",
    ]
    if waiting > len(pending):
        notes.append(f"{waiting - len(pending)} identical to another one")
    if len(submissions) > len(gradable):
        notes.append(f"{len(submissions) - len(gradable)} that cannot be graded")
    print(f"{len(submissions)} submissions: {', '.join(notes)}")
    with _progress(len(pending)) as progress:
        _grade_pending(pending, options, store, files, grader, progress)
    if pending:
        print(
            f"Exercise files graded: {files.graded}, reused: {files.reused} (an error is "
            "never reused: each submission holding that file grades it again)"
        )
    results = []
    for submission in submissions:
        outcomes: list[ExerciseOutcome] = []
        if not submission.problem:
            outcomes = store.load(submission.content_hash(), manifest, options.exercises) or []
            credit_rule.apply(outcomes, options.credit)
        results.append(Graded(submission, outcomes))
    return results


def reusable(outcome: ExerciseOutcome) -> bool:
    """Whether ``outcome`` is the verdict on its file alone, so other submissions may reuse it.

    Passed, failed and not started come from complete records of the exercise's own tests
    (unavailable from the Python version alone). An error may come from the run around the
    file: a process killed in another exercise's test, an earlier exercise's code still
    running (its threads) and refused or caught during this one's tests, a missing record.
    The verdict cannot tell those from an error of the file itself, so no error is reused:
    each submission holding the file grades it again.
    """
    return outcome.status != ERROR


Key = tuple[str, str]  # an exercise id and the digest of the submitted file


class _Files:
    """The batch's exercise files: which are graded, being graded, or waiting for a grade.

    Workers claim the files they grade, so two workers grade one file at once only when an
    error (never reused) makes each submission grade its own copy.
    """

    def __init__(self, cache: ExerciseCache, manifest: Manifest, force: bool) -> None:
        self.cache, self.manifest, self.force = cache, manifest, force
        self.graded = self.reused = 0
        self._changed = threading.Condition()
        self._busy: set[Key] = set()
        self._saved: set[Key] = set()  # stored by this batch: trusted even with --force
        self._errors: set[Key] = set()  # graded as an error: each submission grades its own

    @staticmethod
    def keys(submission: Submission, exercises: tuple[Exercise, ...]) -> dict[Exercise, Key]:
        """Each exercise's key in ``submission``."""
        return {
            exercise: (
                exercise.id,
                file_digest(submission.files.get(exercise.relative_path.as_posix())),
            )
            for exercise in exercises
        }

    def plan(
        self, submissions: Iterable[Submission], exercises: tuple[Exercise, ...]
    ) -> tuple[int, int]:
        """How many of the submissions' exercise files are new, and how many repeat one."""
        seen: set[Key] = set()
        new = known = 0
        for submission in submissions:
            for exercise, key in self.keys(submission, exercises).items():
                stored = not self.force and self.cache.has(exercise, key[1])
                if stored or key in seen:
                    known += 1
                else:
                    new += 1
                    seen.add(key)
        return new, known

    def lookup(self, exercise: Exercise, key: Key) -> ExerciseOutcome | None:
        """The stored outcome for ``key``, unless ``--force`` and stored before this batch."""
        if self.force and key not in self._saved:
            return None
        return self.cache.load(exercise, key[1], self.manifest)

    def claim(self, keys: Iterable[Key]) -> tuple[set[Key], set[Key]]:
        """Claim the keys nobody grades now; returns those claimed and those busy elsewhere."""
        with self._changed:
            wanted = set(keys)
            busy = {key for key in wanted if key in self._busy and key not in self._errors}
            mine = wanted - busy
            self._busy |= mine - self._errors
            return mine, busy

    def finish(
        self, keys: dict[Exercise, Key], outcomes: list[ExerciseOutcome], keep: bool
    ) -> None:
        """Count what was graded and store the reusable outcomes (when ``keep``)."""
        for outcome in outcomes:
            key = keys[outcome.exercise]
            if not reusable(outcome):
                with self._changed:
                    self._errors.add(key)
            elif keep:
                self.cache.save(outcome, key[1])
                with self._changed:
                    self._saved.add(key)
        with self._changed:
            self.graded += len(outcomes)

    def release(self, keys: Iterable[Key]) -> None:
        """Give up claims: their files are graded and stored, or their grading failed."""
        with self._changed:
            self._busy -= set(keys)
            self._changed.notify_all()

    def wait(self, keys: set[Key]) -> None:
        """Return once no other worker grades any of ``keys``."""
        with self._changed:
            self._changed.wait_for(lambda: not keys & self._busy)

    def count_reused(self, count: int) -> None:
        """``count`` more exercise files took a stored outcome."""
        with self._changed:
            self.reused += count


def _grade_pending(
    pending: dict[str, Submission],
    options: BatchOptions,
    store: ResultStore,
    files: _Files,
    grader: Grader,
    progress: Progress,
) -> None:
    """Grade ``pending`` on ``options.jobs`` worker threads, storing each result as it comes.

    The workers are daemon threads, so Ctrl-C ends the batch at once instead of waiting for
    the submissions in flight; those are not stored (their test processes were interrupted
    too) and are graded by the next run.
    """
    tasks: queue.SimpleQueue[tuple[str, Submission]] = queue.SimpleQueue()
    for item in _spread(pending, options.exercises):
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
                    outcomes = _grade_submission(
                        submission, folder, options, files, grader, stopping
                    )
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


def _spread(
    pending: dict[str, Submission], exercises: tuple[Exercise, ...]
) -> list[tuple[str, Submission]]:
    """``pending`` in an order where neighbours share few files, so workers rarely wait.

    Each submission in turn is the one sharing the fewest files with the one before it
    (ties keep the class's order), a cheap pass over the class.
    """
    left = [(digest, submission, set(_Files.keys(submission, exercises).values()))
            for digest, submission in pending.items()]  # fmt: skip
    ordered: list[tuple[str, Submission]] = []
    previous: set[Key] = set()
    while left:
        at = min(range(len(left)), key=lambda index: len(left[index][2] & previous))
        digest, submission, previous = left.pop(at)
        ordered.append((digest, submission))
    return ordered


def _grade_submission(
    submission: Submission,
    folder: Path,
    options: BatchOptions,
    files: _Files,
    grader: Grader,
    stopping: threading.Event,
) -> list[ExerciseOutcome]:
    """The outcome of every exercise of ``submission``: stored ones reused, the rest graded.

    Files another worker is grading right now are waited for, then taken from the cache
    (or graded here, when that grade was an error and so is not reused).
    """
    keys = _Files.keys(submission, options.exercises)
    found: dict[Exercise, ExerciseOutcome] = {}

    def reuse(candidates: Iterable[Exercise]) -> list[Exercise]:
        """Take the stored outcomes of ``candidates``; returns those that have none."""
        missing, taken = [], 0
        for exercise in candidates:
            outcome = files.lookup(exercise, keys[exercise])
            if outcome is None:
                missing.append(exercise)
            else:
                found[exercise], taken = outcome, taken + 1
        files.count_reused(taken)
        return missing

    def grade(selected: list[Exercise]) -> None:
        if selected:
            outcomes = grader(tuple(selected), folder)
            files.finish(keys, outcomes, keep=not stopping.is_set())
            found.update((outcome.exercise, outcome) for outcome in outcomes)

    todo = reuse(options.exercises)
    mine, busy = files.claim(keys[exercise] for exercise in todo)
    try:
        # A file claimed here may have been stored between the look-up and the claim.
        grade(reuse(exercise for exercise in todo if keys[exercise] in mine))
    finally:
        files.release(mine)
    if busy:
        files.wait(busy)
        grade(reuse(exercise for exercise in todo if keys[exercise] in busy))
    return [found[exercise] for exercise in options.exercises]


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
