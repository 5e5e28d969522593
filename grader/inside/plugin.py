"""The kit's pytest plugin: which tree is tested, the virtual clock, mistake detectors, results.

Loaded by the root ``conftest.py``. Options:

- ``--against exercises|solutions|wrong-answers`` (comma-separated for several; default
  ``exercises``): the one place where the tree under test is chosen.
- ``--results-json PATH``: write one record per test for the grade report and the checks.
"""

from __future__ import annotations

import faulthandler
import gc
import sys
import warnings
from collections.abc import Generator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from grader.inside.attempts import ATTEMPT_KINDS, Attempt, AttemptLoader, attempts_for
from grader.inside.detectors import (
    BlockingCallGuard,
    Mistake,
    is_never_awaited_warning,
    never_awaited,
    pending_tasks,
    unretrieved_errors,
)
from grader.inside.messages import ALSO_HEADER, AsyncioMistakeError, learner_message
from grader.inside.recorder import ResultsRecorder
from grader.inside.testing import Clock
from grader.inside.virtual_clock import VirtualClockLoop
from grader.manifest import KIT_ROOT, Exercise, Manifest, load_manifest

# How many per-test timeouts a test may take before the whole process is ended.
_HARD_LIMIT_FACTOR = 3
# Deep enough to reach learner code from inside asyncio when naming where a coroutine was made.
_COROUTINE_ORIGIN_DEPTH = 16
MISTAKES = pytest.StashKey[list[Mistake]]()
ATTEMPT = pytest.StashKey[Attempt]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the kit's options."""
    group = parser.getgroup("asyncio kit")
    group.addoption(
        "--against",
        default="exercises",
        help="which code the exercise tests run against: exercises, solutions or "
        "wrong-answers; comma-separated for several (default: exercises)",
    )
    group.addoption(
        "--exercises-dir",
        default=None,
        metavar="DIR",
        help="grade the learner files in DIR (laid out like exercises/) instead of exercises/",
    )
    group.addoption(
        "--results-json",
        default=None,
        metavar="PATH",
        help="write one JSON record per test (for the grade report and kit checks)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the kit plugin's state and guard blocking calls for the whole session."""
    kinds = [kind.strip() for kind in config.getoption("against").split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in ATTEMPT_KINDS]
    if unknown or not kinds:
        raise pytest.UsageError(
            f"--against takes {', '.join(ATTEMPT_KINDS)} (comma-separated); got {unknown or kinds}"
        )
    config.pluginmanager.register(KitPlugin(config, kinds), "asyncio-kit")


class KitPlugin:
    """Per-session state: the manifest, loaded attempts, the current loop and the results."""

    def __init__(self, config: pytest.Config, kinds: list[str]) -> None:
        self.config = config
        self.kinds = kinds
        self.manifest: Manifest = load_manifest()
        self.loader = AttemptLoader()
        self.guard = BlockingCallGuard()
        self.loop: VirtualClockLoop | None = None
        exercises_dir = config.getoption("exercises_dir")
        self.exercises_root = (
            Path(exercises_dir).resolve() if exercises_dir else KIT_ROOT / "exercises"
        )
        results_path = config.getoption("results_json")
        self.results = ResultsRecorder(Path(results_path)) if results_path else None

    # -- session ---------------------------------------------------------------------------

    def pytest_sessionstart(self) -> None:
        """Guard blocking calls before any exercise is imported."""
        self.guard.install()

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        """Put the real blocking functions back and write the results file."""
        self.guard.uninstall()
        if self.results is not None:
            self.results.write(exitstatus)

    # -- which attempt each test runs against ----------------------------------------------

    def exercise_of(self, node: pytest.Item | pytest.Collector | pytest.Metafunc) -> Exercise:
        """The manifest entry for the test file ``node`` belongs to."""
        path = node.definition.path if isinstance(node, pytest.Metafunc) else node.path
        exercise = self.manifest.for_test_file(path)
        if exercise is None:
            raise pytest.UsageError(f"{path} is not the test file of any exercise in the manifest")
        return exercise

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Run each exercise test once per attempt when several kinds are requested."""
        if "exercise" not in metafunc.fixturenames:
            return
        attempts = attempts_for(self.exercise_of(metafunc), self.kinds, self.exercises_root)
        if self.kinds != ["exercises"] and self.kinds != ["solutions"]:
            metafunc.parametrize(
                "exercise", attempts, indirect=True, ids=[a.label for a in attempts]
            )

    @pytest.fixture
    def exercise(self, request: pytest.FixtureRequest) -> ModuleType:
        """The module under test: the learner's exercise, its solution or a wrong answer."""
        attempt: Attempt
        if hasattr(request, "param"):
            attempt = request.param
        else:
            (attempt,) = attempts_for(
                self.exercise_of(request.node), self.kinds, self.exercises_root
            )
        request.node.stash[ATTEMPT] = attempt
        return self.loader.load(attempt)

    @pytest.fixture
    def clock(self) -> Clock:
        """The running loop's virtual clock (``clock.now`` is 0.0 when the test starts)."""
        return Clock()

    # -- the virtual clock -----------------------------------------------------------------

    def pytest_asyncio_loop_factories(
        self, config: pytest.Config, item: pytest.Item
    ) -> dict[str, Any]:
        """Every async test runs on a fresh virtual-clock loop."""
        return {"virtual_clock": self._new_loop}

    def _new_loop(self) -> VirtualClockLoop:
        self.loop = VirtualClockLoop()
        return self.loop

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Forget the previous test's loop; pytest-asyncio makes a new one during setup."""
        self.loop = None

    # -- the hard backstop ----------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        """End the whole process if one test outlives pytest-timeout several times over.

        pytest-timeout interrupts a test once. Code that blocks the loop's thread again
        right after (a threading.Lock held across an `await`) would then hang forever; the
        grader re-runs each exercise on its own when the process dies, so the others are
        still graded.
        """
        marker = item.get_closest_marker("timeout")  # a test's own limit, as pytest-timeout
        per_test = (marker.args[0] if marker and marker.args else None) or (
            item.config.getoption("timeout", None) or item.config.getini("timeout") or 5
        )
        limit = _HARD_LIMIT_FACTOR * float(per_test)
        faulthandler.dump_traceback_later(limit, exit=True)
        try:
            return (yield)
        finally:
            faulthandler.cancel_dump_traceback_later()

    # -- mistake detectors -----------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        """Run the test, then fail it for any asyncio mistake the detectors caught."""
        self.guard.calls.clear()
        _forget_previous_failure()
        previous_depth = sys.get_coroutine_origin_tracking_depth()
        sys.set_coroutine_origin_tracking_depth(_COROUTINE_ORIGIN_DEPTH)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RuntimeWarning)
                failure: BaseException | None = None
                try:
                    yield
                except BaseException as error:  # re-raised below, after the detectors ran
                    failure = error
                mistakes = self._detect_mistakes(caught)
        finally:
            sys.set_coroutine_origin_tracking_depth(previous_depth)
        for other in (w for w in caught if not is_never_awaited_warning(w)):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
        item.stash[MISTAKES] = mistakes
        if failure is not None:
            raise failure
        if mistakes:
            unique = dict.fromkeys(mistake.message for mistake in mistakes)
            raise AsyncioMistakeError("\n".join(unique))

    def _detect_mistakes(self, caught: list[warnings.WarningMessage]) -> list[Mistake]:
        """Everything the detectors caught while the test ran (and while it is cleaned up)."""
        mistakes = list(self.guard.calls)
        loop = self.loop
        if loop is not None and not loop.is_closed():
            mistakes += pending_tasks(loop)
        # Unreachable tasks and coroutines report their mistakes when collected.
        _collect_garbage()
        mistakes += never_awaited(caught)
        if loop is not None:
            mistakes += unretrieved_errors(loop.unhandled_errors)
            loop.unhandled_errors.clear()
        return mistakes

    # -- reports ---------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        """Attach a learner-worded message to every failed phase of a test."""
        report = yield
        message = ""
        if call.excinfo is not None and not report.skipped:
            loop = self.loop
            loop_time = loop.time() if loop is not None else None
            message = learner_message(call.excinfo, loop_time, loop.waiting_at if loop else None)
            mistakes = dict.fromkeys(m.message for m in item.stash.get(MISTAKES, []))
            others = [text for text in mistakes if text not in message]
            if others:
                message += ALSO_HEADER + "\n".join(f"- {mistake}" for mistake in others)
            if call.excinfo.errisinstance(AsyncioMistakeError):
                report.longrepr = message  # the plugin's own frames would only distract
            else:
                report.sections.append(("what went wrong", message))
        if self.results is not None and "exercise" in getattr(item, "fixturenames", ()):
            attempt = item.stash.get(ATTEMPT, None)
            kinds = [mistake.kind for mistake in item.stash.get(MISTAKES, [])]
            exercise = self.exercise_of(item)
            self.results.add_phase(item, report, message, exercise, attempt, kinds)
        return report

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """A test file that does not even import is an error for its exercise."""
        if report.failed and self.results is not None:
            test_file = self.config.rootpath / report.nodeid.split("::")[0]
            exercise = self.manifest.for_test_file(test_file)
            self.results.add_collection_error(report, exercise)


def _forget_previous_failure() -> None:
    """Let objects kept alive by the previous test's failure be collected now, not in this test.

    pytest keeps the last failure in ``sys.last_value`` (and ``sys.last_exc``); the frames
    in its traceback can hold an unawaited coroutine, whose warning must not be blamed on
    the next test.
    """
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            setattr(sys, name, None)
    _collect_garbage()


def _collect_garbage() -> None:
    """A full collection that stays cheap: survivors are frozen out of later collections.

    Without the freeze every collection walks all of pytest's objects and the suite runs
    several times slower; frozen objects are still freed when their last reference goes.
    """
    gc.collect()
    gc.freeze()
