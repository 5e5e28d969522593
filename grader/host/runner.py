"""Running the exercise tests in a separate pytest process and reading its signed records.

A separate process keeps the grader alive whatever learner code does (``os._exit``, a
crash in C code, an endless loop). Records arrive over a pipe as each test finishes (see
``grader.inside.channel``), so the grader always knows which test was running when a
process died or stopped answering. When a run is not clean, the exercises it never
reached are run again, each on its own, so one broken exercise cannot stop the others
from being graded. Submissions are graded in a sandbox (``grader.host.sandbox``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader.host import review
from grader.host.outcomes import ERROR, ExerciseOutcome, unavailable
from grader.host.pristine import is_untouched
from grader.host.runlog import LogReader, RunLog
from grader.host.verdict import judge
from grader.manifest import KIT_ROOT, Exercise
from grader.records import KEY_BYTES, KEY_FD, RESULTS_FD

if TYPE_CHECKING:
    from grader.host.sandbox import Tree

# A graded run loads exactly these pytest plugins, and the kit's own from conftest.py: no
# other plugin installed beside the kit takes part, and pytest skips reading the metadata
# of every installed package to find them (a few tenths of a second a run).
PLUGIN_ARGS = ("-p", "pytest_asyncio.plugin", "-p", "pytest_timeout")
PLUGIN_ENVIRONMENT = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


# Real seconds a run may take to start and collect, and to move from one test to the next.
_STARTUP_LIMIT, _BETWEEN_TESTS_LIMIT = 60.0, 30.0
# Real seconds beyond a test's own backstop before the grader stops the process itself
# (learner code can cancel the in-process backstop; it cannot cancel this one).
_BACKSTOP_SLACK = 5.0
# A test whose timeout is switched off (--timeout=0) may still not run forever.
_UNLIMITED_TEST = 600.0
_READ_SIZE = 65536


@dataclass(frozen=True)
class RunOptions:
    """What to run the tests against, where the learner's files are and how to isolate them."""

    against: str = "exercises"
    submission: Path | None = None  # a folder laid out like exercises/, graded instead of it
    extra_args: tuple[str, ...] = ()
    # "auto" (bubblewrap, else the fallback) for submissions; "none" runs in the kit itself.
    isolation: str = "auto"


def run_exercises(exercises: tuple[Exercise, ...], options: RunOptions) -> list[ExerciseOutcome]:
    """Run the tests of ``exercises`` and judge each one; skip those this Python cannot run."""
    running = sys.version_info[:2]
    runnable = tuple(exercise for exercise in exercises if exercise.min_python <= running)
    judged = {o.exercise.id: o for o in _run_runnable(runnable, options)} if runnable else {}
    return [judged.get(e.id) or unavailable(e, running) for e in exercises]


def _run_runnable(exercises: tuple[Exercise, ...], options: RunOptions) -> list[ExerciseOutcome]:
    if options.submission is None or options.isolation == "none":
        return _run_in_kit(exercises, options)
    from grader.host import sandbox  # POSIX only; learners' own runs never need it

    isolation = sandbox.choose_isolation(options.isolation)
    shown = sandbox.describe(isolation)
    with sandbox.scratch_folder() as scratch:
        tree = sandbox.build_tree(options.submission, exercises, Path(scratch))

        def run(selected: tuple[Exercise, ...]) -> tuple[RunLog, list[ExerciseOutcome]]:
            log = _run_sandboxed(selected, options, tree, isolation)
            return log, judge(selected, log, tree.exercises_dir)

        outcomes = _with_reruns(exercises, run)
        for outcome in outcomes:
            # The tree's copy: a regular file, and only for exercises the tree accepted.
            graded = tree.exercises_dir / outcome.exercise.relative_path
            outcome.review = ", ".join(review.findings(graded)) if graded.is_file() else ""
    for outcome in outcomes:
        outcome.isolation = shown
        outcome.file = options.submission / outcome.exercise.relative_path
        refused = tree.refused.get(outcome.exercise.id)
        if refused:
            outcome.status, outcome.tests, outcome.problem = ERROR, [], refused
    return outcomes


def _run_in_kit(exercises: tuple[Exercise, ...], options: RunOptions) -> list[ExerciseOutcome]:
    """A run in the kit itself: the learner's own machine, or a submission unsandboxed."""
    tree = options.submission or KIT_ROOT / options.against
    args = [f"--against={options.against}", *options.extra_args]
    if options.submission is not None:
        args.append(f"--exercises-dir={options.submission.resolve()}")

    def run(selected: tuple[Exercise, ...]) -> tuple[RunLog, list[ExerciseOutcome]]:
        not_started = _not_started(selected, options, tree)
        log = run_pytest([str(exercise.test_path) for exercise in selected], args + not_started)
        return log, judge(selected, log, tree, options.against)

    outcomes = _with_reruns(exercises, run)
    for outcome in outcomes:
        outcome.isolation = "none"
        if options.submission is not None:
            outcome.review = ", ".join(review.findings(tree / outcome.exercise.relative_path))
    return outcomes


Run = Callable[[tuple[Exercise, ...]], tuple[RunLog, list[ExerciseOutcome]]]


def _with_reruns(exercises: tuple[Exercise, ...], run: Run) -> list[ExerciseOutcome]:
    """One run of everything; then the exercises a run never reached, in a fresh run.

    A run that dies (``os._exit`` at import, a hang the backstop ends) is blamed on the
    test it was in; the exercises after it are run again together, until every exercise
    was reached. A run that reaches none of them again falls back to one run each.
    """
    log, outcomes = run(exercises)
    final = {outcome.exercise.id: outcome for outcome in outcomes}
    pending = exercises
    while not log.clean and len(pending) > 1:
        again = _never_reached(outcomes, log)
        if not again:
            break
        if len(again) == len(pending):  # no progress: one run each
            for exercise in again:
                final[exercise.id] = run((exercise,))[1][0]
            break
        log, outcomes = run(again)
        final.update((outcome.exercise.id, outcome) for outcome in outcomes)
        pending = again
    return [final[exercise.id] for exercise in exercises]


def _never_reached(outcomes: list[ExerciseOutcome], log: RunLog) -> tuple[Exercise, ...]:
    """The exercises that are in error only because the run ended before their tests."""
    reached = {nodeid.split("::")[0] for nodeid in log.started}
    return tuple(
        outcome.exercise
        for outcome in outcomes
        if outcome.status == ERROR
        and str(outcome.exercise.test_path) not in reached
        and not outcome.interference
    )


def _run_sandboxed(
    exercises: tuple[Exercise, ...], options: RunOptions, tree: Tree, isolation: str
) -> RunLog:
    from grader.host import sandbox

    with tempfile.TemporaryDirectory(prefix="asyncio-kit-home-") as home:
        compiled = sandbox.compiled_cache(tree) if isolation == "bubblewrap" else None
        command, cwd, inside_root = sandbox.command(isolation, tree, compiled)
        paths = [f"{inside_root}/{exercise.test_path.as_posix()}" for exercise in exercises]
        args = [
            f"--against={options.against}",
            *_not_started(exercises, options, tree.exercises_dir),
            *options.extra_args,
        ]
        env = sandbox.environment("/tmp" if isolation == "bubblewrap" else home)
        os.chmod(home, 0o777)
        cpu = int(_STARTUP_LIMIT + _UNLIMITED_TEST)
        return run_pytest(
            paths,
            args,
            command=command,
            cwd=cwd,
            env=env,
            limit_resources=lambda: sandbox.limit_resources(isolation, cpu),
        )


def _not_started(exercises: tuple[Exercise, ...], options: RunOptions, tree: Path) -> list[str]:
    """The option naming the exercises whose learner file is the stub as shipped.

    Their tests are recorded as failed without being set up or run: the grade of an
    untouched stub is "not started" whatever its tests say (see grader.host.verdict), and
    running them is most of the time of grading a class where many exercises are not started.
    """
    if options.against != "exercises":
        return []
    ids = [exercise.id for exercise in exercises if is_untouched(exercise, tree)]
    return [f"--not-started={','.join(ids)}"] if ids else []


def test_environment() -> dict[str, str]:
    """The environment of an unsandboxed run: compiled files cached under .kit/, not beside code.

    Plugins are not loaded automatically (see PLUGIN_ARGS).

    Caching keeps repeated grading fast (pytest rewrites and compiles every test module
    otherwise), and the learner's folders stay free of __pycache__.
    """
    env = {
        **os.environ,
        **PLUGIN_ENVIRONMENT,
        "PYTHONPYCACHEPREFIX": str(KIT_ROOT / ".kit" / "pycache"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_pytest(
    paths: list[str],
    args: list[str],
    *,
    command: list[str] | None = None,
    cwd: Path = KIT_ROOT,
    env: dict[str, str] | None = None,
    limit_resources: Callable[[], None] | None = None,
) -> RunLog:
    """Run pytest on ``paths`` in a new process and return what it reported, verified."""
    key = secrets.token_bytes(KEY_BYTES)
    key_read, key_write = os.pipe()
    results_read, results_write = os.pipe()
    os.write(key_write, key)
    os.close(key_write)
    base = command or [sys.executable, "-m", "pytest"]
    # Records carry what the grade needs, a failure's learner message included; pytest's
    # own summary would only repeat a test's output, and its traceback of a failure (one
    # line here) would cost it a read and a parse of every frame's source.
    full = [*base, *PLUGIN_ARGS, *paths, "--graded", "-q", "--no-header",
            "--show-capture=no", "--tb=line", *args]  # fmt: skip

    def prepare_child() -> None:
        # Put the key and results pipes at the agreed descriptors (3 and 4), via spare
        # numbers so that neither overwrites the other.
        key_fd, results_fd = os.dup(key_read), os.dup(results_write)
        os.dup2(key_fd, KEY_FD)
        os.dup2(results_fd, RESULTS_FD)
        if limit_resources is not None:
            limit_resources()

    with tempfile.TemporaryFile() as output:
        try:
            process = subprocess.Popen(
                full,
                cwd=cwd,
                env=env if env is not None else test_environment(),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                pass_fds=(KEY_FD, RESULTS_FD),
                preexec_fn=prepare_child,
                start_new_session=True,
            )
        finally:
            os.close(key_read)
            os.close(results_write)
        reader = LogReader(key)
        try:
            _follow(process, results_read, reader)
        finally:
            os.close(results_read)
            _kill_group(process)
        log = reader.log
        log.returncode = process.returncode
        if log.collected is None and not log.crash_text:
            output.seek(0)
            tail = output.read()[-3000:].decode("utf-8", errors="replace")
            log.crash_text = "\n".join(tail.strip().splitlines()[-15:])
    return log


def _follow(process: subprocess.Popen[bytes], pipe: int, reader: LogReader) -> None:
    """Read records until the process ends, stopping it when a test outlives its limits."""
    os.set_blocking(pipe, False)
    with selectors.DefaultSelector() as selector:
        selector.register(pipe, selectors.EVENT_READ)
        last_progress = time.monotonic()
        open_pipe = True
        while True:
            if open_pipe and selector.select(timeout=0.05):
                data = _read(pipe)
                if data:
                    reader.feed(data)
                    last_progress = time.monotonic()
                elif data is not None:
                    open_pipe = False  # every writer is gone
                    selector.unregister(pipe)
            if process.poll() is not None:
                break
            limit = _limit(reader.log)
            if time.monotonic() - last_progress > limit:
                reader.log.stopped = (
                    f"it was still running after {limit:.0f} s of real time, far beyond its "
                    "limit, so the grader stopped it (an endless loop that never gives "
                    "control back, or code that blocks the event loop's thread)"
                )
                _kill_group(process)
                process.wait()
                break
            if not open_pipe:
                time.sleep(0.05)
    while data := _read(pipe):
        reader.feed(data)
    reader.close()


def _read(pipe: int) -> bytes | None:
    """What the pipe has now: bytes, b"" at its end, or None when nothing is waiting."""
    try:
        return os.read(pipe, _READ_SIZE)
    except BlockingIOError:
        return None


def _limit(log: RunLog) -> float:
    """How long, in real seconds, the run may go without sending anything now."""
    if log.collected is None:
        return _STARTUP_LIMIT
    running = log.running
    if running is None:
        return _BETWEEN_TESTS_LIMIT
    backstop = log.timeouts.get(running, 0.0)
    return (backstop or _UNLIMITED_TEST) + _BACKSTOP_SLACK


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the process and everything it started in its session."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
