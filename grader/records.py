"""The wire format between a test process and the grader: records, signatures, descriptors."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

# The descriptors the grader hands the key and the results pipe on (see grader.host.runner).
KEY_FD, RESULTS_FD = 3, 4
KEY_BYTES = 32


def signature(key: bytes, sequence: int, body: str) -> str:
    """The HMAC that proves ``body`` was record number ``sequence`` of this run."""
    return hmac.new(key, f"{sequence}\n{body}".encode(), hashlib.sha256).hexdigest()


PHASES = ("setup", "call", "teardown")
# Between a test's main message and the further findings listed under it.
ALSO_HEADER = "\nAlso:\n"


@dataclass
class TestRecord:
    """How one test went, phase by phase."""

    __test__ = False  # a record, not a pytest test class

    nodeid: str
    exercise: str
    attempt: str
    test: str
    description: str
    test_code: str
    # "passed", "failed" or "skipped" for each phase that ran.
    phases: dict[str, str] = field(default_factory=dict)
    message: str = ""  # the learner-worded message of the first failed phase
    skip_reason: str = ""  # why a phase was skipped (pytest.skip, unittest.SkipTest, xfail)
    output: str = ""
    duration: float = 0.0
    # Kinds of asyncio mistakes the detectors caught (never-awaited, pending-task, ...).
    mistakes: list[str] = field(default_factory=list)


def as_record(data: dict[str, Any]) -> TestRecord:
    """A TestRecord from the dictionary the channel carried; KeyError/TypeError if malformed."""
    return TestRecord(**data)
