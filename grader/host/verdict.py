"""The one verdict: a run's verified records and expected tests, turned into outcomes.

Every consumer calls :func:`judge`: the report, every file format, the kit check and the
batch grader, so each rule is written once here:

- a test passes only when its setup, call and teardown all passed;
- a skip or an xfail is a failure: the kit's own tests never skip, so it came from
  learner code (``pytest.skip``, ``unittest.SkipTest``, ``pytest.xfail``);
- an expected test without a record, a record twice, a record nobody expected, a record
  with a bad signature, or learner code caught interfering makes the exercise an error
  worth nothing;
- a test that errors in setup or teardown makes the exercise an error;
- an exercise whose every test passed is passed; otherwise it is not started when its
  file is still the shipped stub, and failed when it was changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from grader.host.outcomes import (
    ERROR,
    FAILED,
    NOT_STARTED,
    PASSED,
    ExerciseOutcome,
    TestOutcome,
)
from grader.host.pristine import is_untouched
from grader.host.runlog import RunLog
from grader.manifest import Exercise
from grader.records import PHASES, TestRecord

_SKIPPED_MESSAGE = (
    "This test was skipped ({reason}). The kit's tests never skip themselves, so the skip "
    "came from the code under test: a skip never counts as a pass. Remove the "
    "pytest.skip / unittest.SkipTest / pytest.xfail from your code."
)


def test_outcome(record: TestRecord) -> TestOutcome:
    """One test's outcome from its phases: passed only if all three phases passed."""
    phases = record.phases
    if any(phases.get(phase) == "failed" for phase in ("setup", "teardown")):
        outcome, message = "error", record.message
    elif phases.get("call") == "failed":
        outcome, message = "failed", record.message
    elif any(value == "skipped" for value in phases.values()):
        outcome = "failed"
        message = _SKIPPED_MESSAGE.format(reason=record.skip_reason or "no reason given")
    elif all(phases.get(phase) == "passed" for phase in PHASES):
        outcome, message = "passed", ""
    else:
        outcome, message = "error", "The test did not run to its end."
    return TestOutcome(
        nodeid=record.nodeid,
        name=record.test,
        description=record.description,
        outcome=outcome,
        message=message,
        output=record.output,
        duration=record.duration,
        test_code=record.test_code,
        mistakes=tuple(record.mistakes),
    )


def judge(
    exercises: Iterable[Exercise], log: RunLog, tree: Path, attempt: str = "exercises"
) -> list[ExerciseOutcome]:
    """Each exercise's outcome for ``attempt`` from one run's log; ``tree`` holds its files."""
    return [_judge_one(exercise, log, tree, attempt) for exercise in exercises]


def _judge_one(exercise: Exercise, log: RunLog, tree: Path, attempt: str) -> ExerciseOutcome:
    outcome = ExerciseOutcome(exercise, ERROR, file=tree / exercise.relative_path)
    if log.collected is None:
        outcome.problem = _stopped_before_collection(log)
        return outcome
    broken = [e for e in log.collection_errors if e["exercise"] == exercise.id]
    if broken:
        outcome.problem = f"The tests of this exercise could not be loaded:\n{broken[0]['message']}"
        return outcome
    expected = [
        item["nodeid"]
        for item in log.collected
        if item["exercise"] == exercise.id and item["attempt"] == attempt
    ]
    if not expected:
        outcome.problem = "No test of this exercise ran."
        return outcome
    outcome.tests = [test_outcome(log.tests[n]) for n in expected if n in log.tests]
    interference = _interference(expected, log)
    if interference:
        outcome.interference = interference
        outcome.problem = (
            "Graded 0: the code under test interfered with the grader.\n"
            f"{interference}\nExercise code may only use what the exercise is about."
        )
        return outcome
    missing = [nodeid for nodeid in expected if nodeid not in log.tests]
    if missing:
        outcome.problem = _missing_problem(missing, log)
        # Every expected test is listed, the ones without a record as errors, so each
        # output names all of them (a JUnit file after a crash is complete).
        outcome.tests = [
            test_outcome(log.tests[n]) if n in log.tests else _never_finished(n, outcome.problem)
            for n in expected
        ]
        return outcome
    ended_badly = log.exitstatus not in (0, 1) or log.returncode not in (0, 1, None)
    if ended_badly and log.started and log.started[-1] in expected:
        # Every record arrived, but the run did not end as pytest ends: something in the
        # last test (pytest.exit, KeyboardInterrupt after the fact, os._exit) stopped it.
        status = log.exitstatus if log.exitstatus is not None else log.returncode
        outcome.problem = (
            f"The test run ended abnormally after this exercise's tests (exit status {status})."
        )
        return outcome
    if any(test.outcome == "error" for test in outcome.tests):
        outcome.status = ERROR
    elif all(test.outcome == "passed" for test in outcome.tests):
        outcome.status = PASSED
    elif is_untouched(exercise, tree):
        outcome.status = NOT_STARTED
    else:
        outcome.status = FAILED
    return outcome


def _never_finished(nodeid: str, why: str) -> TestOutcome:
    """The outcome of an expected test whose record never arrived."""
    name = nodeid.rsplit("::", 1)[-1].split("[")[0]
    return TestOutcome(nodeid, name, "", "error", why.splitlines()[0], "", 0.0)


def _interference(expected: list[str], log: RunLog) -> str:
    """What this exercise's code was caught doing, one line each; "" for nothing."""
    lines: list[str] = []
    for nodeid in expected:
        lines += log.interference.get(nodeid, [])
        if log.forged.get(nodeid):
            lines.append(f"wrote {log.forged[nodeid]} forged result line(s) to the grader")
    lines += [f"sent a second result for {n}" for n in log.duplicated if n in expected]
    return "\n".join(f"- {line}" for line in dict.fromkeys(lines))


def _stopped_before_collection(log: RunLog) -> str:
    reason = log.stopped or f"exit status {log.returncode}"
    detail = f"\n{log.crash_text.strip()}" if log.crash_text.strip() else ""
    return f"The test run stopped before any test started ({reason}).{detail}"


def _missing_problem(missing: list[str], log: RunLog) -> str:
    """Why tests have no record: the run died in one of them, or before reaching them."""
    died_in = next((nodeid for nodeid in missing if nodeid in log.started), None)
    if died_in is None:
        return "The test run stopped before it reached this exercise's tests."
    name = died_in.rsplit("::", 1)[-1].split("[")[0].removeprefix("test_").replace("_", " ")
    if log.stopped:
        why = log.stopped
    elif log.returncode is not None and log.returncode < 0:
        why = f"the process was killed by signal {-log.returncode}"
    else:
        why = f"the process ended with exit status {log.returncode}"
    text = f"The test run stopped during the test '{name}': {why}."
    if log.crash_text.strip():
        text += f"\nWhere it was when it stopped:\n{_learner_lines(log.crash_text)}"
    return text


def _learner_lines(crash_text: str) -> str:
    """The part of a faulthandler dump a learner can use: the exercise's own lines first.

    faulthandler lists every thread, innermost frame first; the lines in the exercise's
    file and in its test say where it was stuck, and the rest is the machinery around it.
    """
    lines = [line.strip() for line in crash_text.splitlines() if line.strip().startswith("File")]
    places = (f"{os.sep}exercises{os.sep}", f"{os.sep}tests{os.sep}")
    own = [line for line in lines if any(place in line for place in places)]
    shown = own[:6] or lines[:12]
    return "\n".join(f"  {line}" for line in shown) or crash_text.strip()[-1000:]
