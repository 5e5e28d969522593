"""One record per test, written as JSON by the plugin and read by reports and checks."""

from __future__ import annotations

import inspect
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from grader.inside.attempts import Attempt
from grader.manifest import Exercise

RESULTS_VERSION = 1


@dataclass
class TestRecord:
    """How one test went, across its setup, call and teardown phases."""

    nodeid: str
    exercise: str
    attempt: str
    test: str
    description: str
    test_code: str
    outcome: str = "passed"
    message: str = ""
    output: str = ""
    duration: float = 0.0
    # Kinds of asyncio mistakes the detectors caught (never-awaited, pending-task, ...).
    mistakes: list[str] = field(default_factory=list)


@dataclass
class ResultsRecorder:
    """Collects test records while pytest runs and writes them when it finishes."""

    path: Path
    tests: dict[str, TestRecord] = field(default_factory=dict)
    collection_errors: list[dict[str, str]] = field(default_factory=list)

    def add_phase(
        self,
        item: pytest.Item,
        report: pytest.TestReport,
        message: str,
        exercise: Exercise,
        attempt: Attempt | None,
        mistakes: list[str],
    ) -> None:
        """Fold one phase's report into the test's record.

        A failure in setup or teardown makes the test an error: it never counts as passed.
        """
        record = self.tests.get(report.nodeid)
        if record is None:
            record = TestRecord(
                nodeid=report.nodeid,
                exercise=exercise.id,
                attempt=attempt.label if attempt else "",
                test=getattr(item, "originalname", item.name),
                description=_first_line(getattr(item, "obj", None)),
                test_code=_source(getattr(item, "obj", None)),
            )
            self.tests[report.nodeid] = record
        if attempt is not None:
            record.attempt = attempt.label
        record.duration += report.duration
        record.mistakes += [kind for kind in dict.fromkeys(mistakes) if kind not in record.mistakes]
        record.output += report.capstdout
        if report.skipped and record.outcome == "passed":
            record.outcome = "skipped"
        elif report.failed and record.outcome in ("passed", "skipped"):
            record.outcome = "failed" if report.when == "call" else "error"
            record.message = message

    def add_collection_error(self, report: pytest.CollectReport, exercise: Exercise | None) -> None:
        """Record a test file that failed to import."""
        self.collection_errors.append(
            {
                "nodeid": report.nodeid,
                "exercise": exercise.id if exercise else "",
                "message": str(report.longrepr),
            }
        )

    def write(self, exitstatus: int) -> None:
        """Write the results file."""
        data = {
            "version": RESULTS_VERSION,
            "exitstatus": int(exitstatus),
            "tests": [asdict(record) for record in self.tests.values()],
            "collection_errors": self.collection_errors,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _source(function: object) -> str:
    """The test function's source, for formats that show learners the test code."""
    try:
        return inspect.getsource(function)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""


def _first_line(function: object) -> str:
    doc = getattr(function, "__doc__", None) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""
