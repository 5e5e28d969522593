"""The kit's pytest plugin: which tree is tested, the virtual clock, mistake detectors, results.

Loaded by the root ``conftest.py``. Options:

- ``--against exercises|solutions|wrong-answers`` (comma-separated for several; default
  ``exercises``): the one place where the tree under test is chosen.
- ``--graded``: send signed records to the grader over the pipes it handed this process
  (see ``grader.inside.channel``); only ``grader.host.runner`` passes it.

Once a test of an exercise ended in endless work (``grader.inside.endless``), the other
tests of that attempt fail at once instead of running the same code into the same wait.

Before the first learner file is imported, the plugin installs the audit hook
(``grader.inside.audit``) and takes the integrity snapshot (``grader.inside.integrity``);
after every test it reports anything refused or changed as interference (the full snapshot
is compared after the last test of each attempt).
"""

from __future__ import annotations

import faulthandler
import gc
import os
import sys
import warnings
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import pytest

from grader.inside import integrity
from grader.inside.attempts import (
    ATTEMPT_KINDS,
    Attempt,
    AttemptLoader,
    AttemptLoadError,
    attempts_for,
)
from grader.inside.audit import AuditPolicy
from grader.inside.channel import open_channel
from grader.inside.detectors import (
    BlockingCallGuard,
    Mistake,
    is_never_awaited_warning,
    never_awaited,
    pending_tasks,
    unretrieved_errors,
)
from grader.inside.endless import EndlessWorkError, not_run_report
from grader.inside.messages import AsyncioMistakeError, failure_message, missing_names
from grader.inside.recorder import Recorder
from grader.inside.testing import Clock
from grader.inside.virtual_clock import VirtualClockLoop
from grader.manifest import KIT_ROOT, Exercise, Manifest, load_manifest

# How many per-test timeouts a test may take before the whole process is ended.
_HARD_LIMIT_FACTOR = 2
# The exit status of a process that ended itself because learner code changed the verdict
# machinery: nothing it would record afterwards could be trusted.
EXIT_INTERFERENCE = 86
# Deep enough to reach learner code from inside asyncio when naming where a coroutine was made.
_COROUTINE_ORIGIN_DEPTH = 16
MISTAKES = pytest.StashKey[list[Mistake]]()
ATTEMPT = pytest.StashKey[Attempt]()
# How each phase of a test ended, as the kit's own hook wrappers saw it: "passed", "failed"
# or "skipped". A report that says "passed" needs the same word here (see _forged_report).
OBSERVED = pytest.StashKey[dict[str, str]]()
BODY_RETURNED = pytest.StashKey[bool]()  # the test function itself ran and returned
# The test is the last one in a row of tests of the same attempt (see _interference).
ENDS_A_RUN = pytest.StashKey[bool]()


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
        "--graded",
        action="store_true",
        help="send signed results to the grader that started this run (grader use only)",
    )
    group.addoption(
        "--not-started",
        default="",
        metavar="IDS",
        help="exercises (comma-separated ids) whose learner file the grader found to be the "
        "stub as shipped: their tests are recorded as failed and not run (grader use only)",
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
        # The stub as shipped fails its tests, and its grade is "not started" whatever they
        # say: running them would only cost time.
        self.not_started = set(filter(None, config.getoption("not_started").split(",")))
        self.untouched: list[pytest.Item] = []
        self.results: Recorder | None = None
        # Where faulthandler writes when the hard backstop ends the process: the results
        # pipe when graded (so the grader can show the learner where it hung), else stderr.
        self.backstop_file: Any = sys.__stderr__
        if config.getoption("graded"):
            send, self.backstop_file = open_channel()
            self.results = Recorder(send)
        self.collection_errors: list[dict[str, str]] = []
        self.audit = AuditPolicy(self._attempt_roots())
        self.snapshot: integrity.Snapshot | None = None
        self.hot: integrity.HotSet | None = None
        self.items: dict[str, pytest.Item] = {}
        # The latest test that started with no full integrity check after it yet.
        self.unchecked: pytest.Item | None = None
        # The attempts (by file) whose code never ended in one of their tests, with the
        # message their later tests fail with instead of running into the same wait.
        self.never_ended: dict[Path, str] = {}

    def _attempt_roots(self) -> list[Path]:
        """The folders whose code is under test: the only ones learner code may read."""
        roots = {
            "exercises": self.exercises_root,
            "solutions": KIT_ROOT / "solutions",
            "wrong-answers": KIT_ROOT / "tests",  # each beside its exercise's tests
        }
        return [roots[kind] for kind in self.kinds]

    # -- session ---------------------------------------------------------------------------

    def pytest_sessionstart(self) -> None:
        """Guard blocking calls before any exercise is imported."""
        self.guard.install()

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Put the real blocking functions back and tell the grader the run ended."""
        self._check_the_unchecked()  # before the guard comes off: the snapshot has it on
        self.guard.uninstall()
        if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED and self.untouched:
            # Every test was of an untouched stub: recorded as failed, not run.
            exitstatus = session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if self.results is not None:
            self.results.finished(exitstatus)

    def _check_the_unchecked(self) -> None:
        """Compare the full snapshot if the run ended (-x, pytest.exit) before it was due."""
        item = self.unchecked
        if self.results is None or item is None:
            return
        if "exercise" not in getattr(item, "fixturenames", ()):
            return
        if changed := self._changed_machinery_names():
            touched = [f"changed {name}" for name in changed]
            self.results.interference(item.nodeid, self.exercise_of(item).id, touched)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Tell the grader which tests there are, before any learner code is imported."""
        if self.results is None:
            return
        items = [
            {"nodeid": item.nodeid, "exercise": self.exercise_of(item).id,
             "attempt": _attempt_label(item, self.kinds)}
            for item in [*session.items, *self.untouched]
            if "exercise" in getattr(item, "fixturenames", ())
        ]  # fmt: skip
        self.results.collected(items, self.collection_errors)
        for item in self.untouched:
            self._report_not_started(item)

    def _report_not_started(self, item: pytest.Item) -> None:
        """Record a test of a stub as shipped as failed, without setting up or running it.

        The grade of an untouched stub is "not started" whatever its tests say (see
        ``grader.host.verdict``), and a class hands in many: each of their tests costs a
        record, not a run. No learner file is imported, so nothing can interfere.
        """
        assert self.results is not None
        exercise = self.exercise_of(item)
        (attempt,) = attempts_for(exercise, self.kinds, self.exercises_root)
        message = (
            f"Not started: {attempt.shown_path} is still the stub as shipped, so this test "
            "was not run."
        )
        self.results.started(item.nodeid, 0.0)
        for when in ("setup", "call", "teardown"):
            failed = when == "call"
            outcome: Literal["failed", "passed"] = "failed" if failed else "passed"
            report = pytest.TestReport(
                item.nodeid, item.location, {}, outcome, message if failed else None, when
            )
            shown = message if failed else ""
            identity = (exercise.id, _attempt_label(item, self.kinds))
            self.results.phase(item, report, shown, identity, [])

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        """Tell the grader a test starts, so a run that dies here is blamed on it."""
        if self.results is not None:
            self.results.started(nodeid, self._backstop_seconds_for(nodeid))

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
        if self.snapshot is None:
            # First learner import of the session: audit and snapshot from here on.
            self.snapshot = integrity.take(self.config)
            self.hot = integrity.HotSet(VirtualClockLoop)
            self.audit.install()
        self.audit.allow(attempt.exercise.permissions)
        module = self.loader.load(attempt)
        if problem := missing_names(module, request.node, attempt.shown_path):
            raise AttemptLoadError(problem)  # in setup, so the exercise is an error
        return module

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
        if self.hot is not None:
            self.loop.integrity_probe = self.hot.check
        return self.loop

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        """Forget the previous test's loop (pytest-asyncio makes a new one); watch the setup."""
        self.loop = None
        self.audit.refused.clear()
        self.unchecked = item  # until the full integrity check has run after it
        item.stash[OBSERVED] = {}
        item.stash[BODY_RETURNED] = False
        with _observing(item, "setup"):
            yield

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        """Watch the teardown, so that its report cannot claim a pass it did not have."""
        with _observing(item, "teardown"):
            yield

    # -- the hard backstop ----------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> Generator[None, object, object]:
        """End the whole process if one test outlives its timeout several times over.

        pytest-timeout interrupts a test once. Code that blocks the loop's thread again
        right after (a threading.Lock held across an `await`) would then hang forever; the
        grader re-runs each exercise on its own when the process dies, so the others are
        still graded. The limit follows the test's own timeout (its marker, then
        ``--timeout``, then the ini file); a timeout of 0 switches the backstop off too.
        """
        item.stash[ENDS_A_RUN] = _attempt_run(item, self.kinds) != _attempt_run(
            nextitem, self.kinds
        )
        limit = _HARD_LIMIT_FACTOR * _timeout_of(item)
        if limit > 0:
            faulthandler.dump_traceback_later(limit, exit=True, file=self.backstop_file)
        try:
            return (yield)
        finally:
            faulthandler.cancel_dump_traceback_later()

    def _backstop_seconds_for(self, nodeid: str) -> float:
        item = self.items.get(nodeid)
        return _HARD_LIMIT_FACTOR * _timeout_of(item) if item else 0.0

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
        seen = _phase_outcome(failure) if failure is not None else "passed"
        if seen == "passed" and not item.stash.get(BODY_RETURNED, False):
            seen = "did not run the test function"
        item.stash.setdefault(OBSERVED, {})["call"] = "failed" if mistakes else seen
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

    # -- endless work ----------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> Generator[None, object, object]:
        """Fail, without running it, a test of code that already never ended; else run it.

        It would only run into the same wait again. It fails in its call, so it counts as
        a failed test (never a pass, a skip or an error); the test that never ended ran
        first, so its own message is the one a report shows first. The message says it
        all: no traceback of the plugin's own frames, which would take long to format.

        A test function that returns is noted: a call that passes without it (learner code
        put a no-op in place of pytest's runtest) is not a pass.
        """
        attempt = pyfuncitem.stash.get(ATTEMPT, None)
        if attempt is not None and attempt.path in self.never_ended:
            pytest.fail(self.never_ended[attempt.path], pytrace=False)
        result = yield
        pyfuncitem.stash[BODY_RETURNED] = True
        return result

    def _remember_endless_work(self, item: pytest.Item, report: pytest.TestReport) -> None:
        """After a failed phase, note the attempt when its loop caught endless work."""
        attempt = item.stash.get(ATTEMPT, None)
        finding = self.loop.endless.finding if self.loop is not None else None
        if report.failed and attempt is not None and finding is not None:
            test = getattr(item, "originalname", item.name).removeprefix("test_")
            message = not_run_report(test.replace("_", " "), finding)
            self.never_ended.setdefault(attempt.path, message)

    # -- reports ---------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        """Attach a learner-worded message to every failed phase of a test.

        A graded run's records carry that message, and nothing shows pytest's own
        traceback of the failure: pytest formats only the innermost frame there, which
        saves it reading and parsing the source of every frame of every failure.
        """
        # A skip is reported from where it was raised, so it keeps its traceback.
        excinfo = (
            None
            if call.excinfo is None or call.excinfo.errisinstance(pytest.skip.Exception)
            else call.excinfo
        )
        message = "" if excinfo is None else self._learner_message(item, excinfo)
        if excinfo is not None and (self.results is not None or _says_it_all(excinfo.value)):
            # A never-ending test's message names the learner's line; the frames above
            # its raise are the event loop's own.
            excinfo.traceback = excinfo.traceback[-1:]
        report = yield
        if report.skipped:
            message = ""
        elif message and excinfo is not None and excinfo.errisinstance(AsyncioMistakeError):
            report.longrepr = message  # the plugin's own frames would only distract
        elif message:
            report.sections.append(("what went wrong", message))
        if "exercise" not in getattr(item, "fixturenames", ()):
            return report
        exercise = self.exercise_of(item)
        self._remember_endless_work(item, report)
        touched = self._interference(item) if report.when == "teardown" else []
        touched += _forged_report(item, report)
        if self.results is not None:
            kinds = [mistake.kind for mistake in item.stash.get(MISTAKES, [])]
            identity = (exercise.id, _attempt_label(item, self.kinds))
            if touched:
                self.results.interference(item.nodeid, exercise.id, touched)
            self.results.phase(item, report, message, identity, kinds)
        if touched and self.snapshot is not None and _changed_machinery(touched):
            # What decides a verdict was changed: nothing after this can be trusted, so
            # the run ends here and the grader runs the remaining exercises on their own.
            print(
                f"\n{item.nodeid}: the code under test changed what decides a verdict; "
                "stopping the run:\n" + "\n".join(f"- {entry}" for entry in touched),
                file=sys.__stderr__,
                flush=True,
            )
            os._exit(EXIT_INTERFERENCE)
        return report

    def _learner_message(
        self, item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str:
        """What went wrong in a failed phase, in a learner's words."""
        loop = self.loop
        attempt = item.stash.get(ATTEMPT, None)
        found: list[Mistake] = item.stash.get(MISTAKES, [])
        return failure_message(
            excinfo,
            loop.time() if loop is not None else None,
            loop.waiting_at if loop else None,
            found,
            attempt.path if attempt else None,
        )

    def _interference(self, item: pytest.Item) -> list[str]:
        """What learner code was refused, and the verdict machinery it changed, in this test.

        The objects that make time pass are checked on every loop step (HotSet) and the
        loop's methods after every test. The full snapshot (some 8,000 names, a couple of
        milliseconds) is compared once per run of an attempt's tests: after its last test,
        or at the end of the session if that never came. A change that lasts is seen there
        and costs the attempt its grade; one made and undone between two of its tests is
        not, as one made and undone within a test never was.
        """
        refused = [f"refused: {what}" for what in dict.fromkeys(self.audit.refused)]
        self.audit.refused.clear()
        if self.snapshot is None or self.hot is None:
            return refused
        changed = list(self.hot.broken)
        self.hot.broken.clear()
        if self.loop is not None:
            changed += integrity.shadowed_methods(self.loop)
        if item.stash.get(ENDS_A_RUN, True):
            changed += self._changed_machinery_names()
            self.unchecked = None
        return refused + [f"changed {name}" for name in dict.fromkeys(changed)]

    def _changed_machinery_names(self) -> list[str]:
        """The snapshot's names that no longer hold their objects."""
        return [] if self.snapshot is None else integrity.changes(self.snapshot, self.config)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """A test file that does not even import is an error for its exercise."""
        if report.failed:
            test_file = self.config.rootpath / report.nodeid.split("::")[0]
            exercise = self.manifest.for_test_file(test_file)
            self.collection_errors.append(
                {"nodeid": report.nodeid, "exercise": exercise.id if exercise else "",
                 "message": str(report.longrepr)}
            )  # fmt: skip

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Leave out exercises this Python cannot run; remember the rest by node id.

        An exercise that needs a newer asyncio (``min_python`` in the manifest) is not
        run at all rather than skipped: the grade reports it as not counted.
        """
        running = sys.version_info[:2]
        too_new = [
            item
            for item in items
            if "exercise" in getattr(item, "fixturenames", ())
            and self.exercise_of(item).min_python > running
        ]
        # Tests of a stub as shipped are recorded as failed without running at all.
        self.untouched = [
            item
            for item in items
            if self.kinds == ["exercises"]
            and item not in too_new
            and "exercise" in getattr(item, "fixturenames", ())
            and self.exercise_of(item).id in self.not_started
        ]
        if too_new or self.untouched:
            self.config.hook.pytest_deselected(items=too_new + self.untouched)
            left_out = set(too_new + self.untouched)
            items[:] = [item for item in items if item not in left_out]
        self.items = {item.nodeid: item for item in items}


@contextmanager
def _observing(item: pytest.Item, when: str) -> Iterator[None]:
    """Note in the item's stash how the phase ``when`` ended, whatever its report will say."""
    try:
        yield
    except BaseException as error:
        item.stash.setdefault(OBSERVED, {})[when] = _phase_outcome(error)
        raise
    item.stash.setdefault(OBSERVED, {})[when] = "passed"


def _phase_outcome(error: BaseException | None) -> str:
    """The outcome a phase that raised ``error`` (or nothing) has."""
    if error is None:
        return "passed"
    return "skipped" if isinstance(error, pytest.skip.Exception) else "failed"


def _forged_report(item: pytest.Item, report: pytest.TestReport) -> list[str]:
    """The interference when a phase's report says "passed" but the kit did not see it pass.

    Learner code can swap pytest's report machinery for the length of one report and put it
    back before the integrity check after the test; the kit's own hook wrappers saw how
    the phase really ended (or that it never ran through them).
    """
    observed = item.stash.get(OBSERVED, {}).get(report.when)
    if not report.passed or observed == "passed":
        return []
    seen = f"it {observed}" if observed else "the kit never saw it run"
    return [f"changed the {report.when} report of {item.name}: it said passed, but {seen}"]


def _says_it_all(error: BaseException) -> bool:
    """Whether a failure's message is complete without a traceback (the plugin's own)."""
    return isinstance(error, EndlessWorkError) or (
        isinstance(error, pytest.fail.Exception) and not error.pytrace
    )


def _attempt_run(item: pytest.Item | None, kinds: list[str]) -> tuple[str, str] | None:
    """The exercise and attempt an item tests (None for no item, or one of no exercise)."""
    if item is None or "exercise" not in getattr(item, "fixturenames", ()):
        return None
    return str(item.path), _attempt_label(item, kinds)


def _attempt_label(item: pytest.Item, kinds: list[str]) -> str:
    """The attempt a test runs against: its parameter when several kinds run, else the kind."""
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "exercise" in callspec.params:
        attempt: Attempt = callspec.params["exercise"]
        return attempt.label
    return kinds[0]


def _timeout_of(item: pytest.Item) -> float:
    """The test's pytest-timeout limit in seconds: its marker, else --timeout, else the ini."""
    marker = item.get_closest_marker("timeout")
    if marker is not None:
        value = marker.args[0] if marker.args else marker.kwargs.get("timeout")
        if value is not None:
            return float(value)
    option = item.config.getoption("timeout", None)
    if option is not None:
        return float(option)
    return float(item.config.getini("timeout") or 0)


def _changed_machinery(touched: list[str]) -> bool:
    return any(entry.startswith("changed ") for entry in touched)


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
