"""Reading a test run's records off the results pipe, checking each one's signature.

A ``RunLog`` is everything the grader learned from one pytest process: the tests it
collected (before any learner code was imported), which test started when, each finished
test's record, what the integrity checks reported, how the process ended, and every line
that was not a correctly signed record in sequence. It states facts; ``grader.host.verdict``
judges them.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from grader.records import TestRecord, as_record, signature

# Crash text kept for the learner's message: the end of a faulthandler dump, at most.
_CRASH_TEXT_LIMIT = 4000
# No honest record comes near this (outputs are capped inside); a longer line is dropped.
LINE_LIMIT = 4 * 1024**2


@dataclass
class RunLog:
    """What one pytest process reported, verified."""

    collected: list[dict[str, str]] | None = None  # nodeid, exercise, attempt per test
    collection_errors: list[dict[str, str]] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    tests: dict[str, TestRecord] = field(default_factory=dict)
    duplicated: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    interference: dict[str, list[str]] = field(default_factory=dict)  # nodeid -> what
    forged: dict[str, int] = field(default_factory=dict)  # running nodeid -> bad lines
    exitstatus: int | None = None  # from the session's own last record
    returncode: int | None = None  # the process's, set by the runner
    stopped: str = ""  # why the runner stopped the process, if it did
    crash_text: str = ""
    timeouts: dict[str, float] = field(default_factory=dict)  # nodeid -> backstop seconds

    @property
    def running(self) -> str | None:
        """The test that started last and has no record yet (where a dead run died)."""
        for nodeid in reversed(self.started):
            return None if nodeid in self.tests else nodeid
        return None

    @property
    def clean(self) -> bool:
        """Whether the run ended normally and every record arrived once, signed, as expected."""
        expected = {item["nodeid"] for item in self.collected or []}
        return (
            self.collected is not None
            and not self.stopped
            and self.exitstatus in (0, 1)
            and self.returncode in (0, 1)
            and not (self.duplicated or self.unexpected or self.interference or self.forged)
            and set(self.tests) == expected
        )


class LogReader:
    """Feeds raw bytes from the pipe into a RunLog, verifying signatures and order."""

    def __init__(self, key: bytes) -> None:
        self.log = RunLog()
        self._key = key
        self._sequence = 0
        self._pending = bytearray()
        self._oversized = False  # dropping the rest of a line that outgrew LINE_LIMIT

    def feed(self, data: bytes) -> None:
        """Take the next chunk read from the pipe."""
        start = 0
        while (end := data.find(b"\n", start)) != -1:
            self._take(data[start:end])
            if not self._oversized:
                self._line(self._pending.decode("utf-8", errors="replace"))
            self._pending.clear()
            self._oversized = False
            start = end + 1
        self._take(data[start:])

    def _take(self, piece: bytes) -> None:
        if self._oversized:
            return
        self._pending += piece
        if len(self._pending) > LINE_LIMIT:
            self._pending.clear()
            self._oversized = True
            self._raw("(a line of more than 4 MiB was dropped)")

    def close(self) -> None:
        """The pipe reached its end: a partial last line is crash text, not a record."""
        if self._pending and not self._oversized:
            self._raw(self._pending.decode("utf-8", errors="replace"))
        self._pending.clear()

    def _line(self, line: str) -> None:
        try:
            envelope = json.loads(line)
            sequence, body, mac = envelope["seq"], envelope["body"], envelope["mac"]
        except (ValueError, TypeError, KeyError):
            self._raw(line)
            return
        genuine = (
            isinstance(body, str)
            and isinstance(mac, str)
            and hmac.compare_digest(
                mac, signature(self._key, sequence, body) if isinstance(sequence, int) else ""
            )
        )
        if not genuine or sequence != self._sequence:
            running = self.log.running or "(before any test)"
            self.log.forged[running] = self.log.forged.get(running, 0) + 1
            return
        self._sequence += 1
        self._record(json.loads(body))

    def _raw(self, line: str) -> None:
        """Unsigned text on the pipe: faulthandler's dump when the backstop fired."""
        if line.strip():
            self.log.crash_text = (self.log.crash_text + line + "\n")[-_CRASH_TEXT_LIMIT:]

    def _record(self, record: dict[str, Any]) -> None:
        log = self.log
        kind = record.pop("kind", None)
        if kind == "collected" and log.collected is None:
            log.collected = list(record["items"])
            log.collection_errors = list(record["errors"])
        elif kind == "started":
            log.started.append(record["nodeid"])
            log.timeouts[record["nodeid"]] = float(record["timeout"])
        elif kind == "test":
            test = as_record(record)
            expected = {item["nodeid"] for item in log.collected or []}
            if test.nodeid in log.tests:
                log.duplicated.append(test.nodeid)
            elif test.nodeid not in expected:
                log.unexpected.append(test.nodeid)
            else:
                log.tests[test.nodeid] = test
        elif kind == "interference":
            log.interference.setdefault(record["nodeid"], []).extend(record["touched"])
        elif kind == "finished":
            log.exitstatus = int(record["exitstatus"])
        else:
            log.unexpected.append(f"a record of kind {kind!r}")
