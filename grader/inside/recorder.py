"""What happened in each test, sent to the grader as the test finishes.

The recorder states facts only: which tests were collected, that a test started, how each
of its phases (setup, call, teardown) ended and with what message, and what the integrity
check saw. It decides nothing; ``grader.host.verdict`` turns the facts into outcomes.
Records go out one at a time, so a run that dies still tells the grader which test it died
in and keeps everything before it.
"""

from __future__ import annotations

import inspect
from dataclasses import asdict

import pytest

from grader.inside.channel import Send
from grader.inside.messages import test_function_sources
from grader.records import TestRecord

# What a test printed is kept for the learner up to this many characters (Exercism shows
# 500); the rest never leaves the test process.
OUTPUT_LIMIT = 8000
MESSAGE_LIMIT = 20000


class Recorder:
    """Sends collection, start, per-test and end records over the results channel."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._open: dict[str, TestRecord] = {}

    def collected(self, items: list[dict[str, str]], errors: list[dict[str, str]]) -> None:
        """The tests the run will execute (nodeid, exercise, attempt) and files that broke."""
        self._send("collected", {"items": items, "errors": errors})

    def started(self, nodeid: str, timeout: float) -> None:
        """A test is about to run; ``timeout`` is its own per-test limit in real seconds."""
        self._send("started", {"nodeid": nodeid, "timeout": timeout})

    def phase(
        self,
        item: pytest.Item,
        report: pytest.TestReport,
        message: str,
        identity: tuple[str, str],
        mistakes: list[str],
    ) -> None:
        """Fold one phase's report in; send the record once the teardown phase is in."""
        exercise, attempt = identity
        record = self._open.get(report.nodeid)
        if record is None:
            function = getattr(item, "obj", None)
            record = TestRecord(
                nodeid=report.nodeid,
                exercise=exercise,
                attempt=attempt,
                test=getattr(item, "originalname", item.name),
                description=_first_line(function),
                test_code=_source(function),
            )
            self._open[report.nodeid] = record
        record.attempt = attempt or record.attempt
        record.phases[report.when] = report.outcome
        record.duration += report.duration
        record.mistakes += [kind for kind in dict.fromkeys(mistakes) if kind not in record.mistakes]
        if len(record.output) < OUTPUT_LIMIT:
            record.output = (record.output + report.capstdout)[:OUTPUT_LIMIT]
        if report.skipped and not record.skip_reason:
            record.skip_reason = _skip_reason(report)
        if report.failed and not record.message:
            record.message = message[:MESSAGE_LIMIT]
        if report.when == "teardown":
            self._send("test", asdict(self._open.pop(report.nodeid)))

    def interference(self, nodeid: str, exercise: str, touched: list[str]) -> None:
        """The integrity check found verdict machinery changed while ``nodeid`` ran."""
        self._send("interference", {"nodeid": nodeid, "exercise": exercise, "touched": touched})

    def finished(self, exitstatus: int) -> None:
        """The session ended normally with pytest's ``exitstatus``."""
        self._send("finished", {"exitstatus": int(exitstatus)})


def _skip_reason(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return f"xfail: {report.wasxfail}"
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _source(function: object) -> str:
    """The test function's source, for formats that show learners the test code."""
    code = getattr(function, "__code__", None)
    name = getattr(function, "__name__", None)
    if code is not None and name in (sources := test_function_sources(code.co_filename)):
        return sources[name]  # one parse of each test file, not one read per test
    try:
        return inspect.getsource(function)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""


def _first_line(function: object) -> str:
    doc = getattr(function, "__doc__", None) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""
