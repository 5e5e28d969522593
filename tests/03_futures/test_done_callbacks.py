"""Tests for exercises/03_futures/done_callbacks.py.

Jobs finish at irregular moments (1.234567 s, not 1.5 s): an answer that polls job.done()
every 0.1 s or 0.5 s sees the finish at a multiple of its interval, so it can't report at
the right moment by luck. The virtual clock counts in microseconds, so these times are exact.
"""

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import pytest


class Dashboard:
    """Collects the reported lines, each with the event-loop time it arrived at."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []

    def report(self, line: str) -> None:
        self.lines.append((asyncio.get_running_loop().time(), line))

    def explain(self, expected: list[tuple[float, str]]) -> str:
        got = "\n".join(f"  t={t} s  {line!r}" for t, line in self.lines) or "  (nothing)"
        wanted = "\n".join(f"  t={t} s  {line!r}" for t, line in expected)
        reported = [line for _, line in self.lines]
        wanted_lines = [line for _, line in expected]
        if sorted(reported) == sorted(wanted_lines):
            nudge = (
                "The lines are right but they came at the wrong moments. Don't poll: "
                "job.add_done_callback(...) makes the loop call you the moment the job "
                "finishes, and calls you soon even for a job that is already done."
            )
        elif _result_taken_for_another_ending(reported, wanted_lines):
            nudge = (
                "A job that returned a result was reported as failed or cancelled. A result "
                "such as 0, '' or None is still a result: tell how the job finished by asking "
                "job.cancelled() and whether job.exception() is None, not by looking at the "
                "result's value."
            )
        elif any(_shows_only_the_message(line) for line in reported):
            nudge = (
                "An error is shown as str(error), its message only; the task asks for its "
                "repr, which names the type too: f'{error!r}' gives ValueError('disk full')."
            )
        elif _same_error_type_other_text(reported, wanted_lines):
            nudge = (
                "An error line names the right error type, but not as repr() shows the "
                "error: f'{error!r}' gives every argument, ConnectionError(111, 'runner "
                "lost'), where one rebuilt from the type and message does not."
            )
        elif any(_as_repr(line) in reported for line in wanted_lines if " done: " in line):
            nudge = (
                "A result is shown with its repr (text in quotes); the task asks for the "
                "result as str() shows it: f'{result}'. Only the error line uses the repr."
            )
        else:
            nudge = (
                "Register a done callback with job.add_done_callback(...), for every job, "
                "even one already done. Inside it, check job.cancelled() and "
                "job.exception() before you read job.result(), which raises for a failed "
                "or cancelled job."
            )
        return f"The dashboard received:\n{got}\nexpected:\n{wanted}\n{nudge}"


def _result_taken_for_another_ending(reported: list[str], wanted: list[str]) -> bool:
    """Whether a job that should be "done: ..." was reported as failed or cancelled."""
    done = [line.partition(" done: ")[0] for line in wanted if " done: " in line]
    return any(
        got.startswith(f"{name} failed: ") or got == f"{name} cancelled"
        for got in reported
        for name in done
    )


def _shows_only_the_message(line: str) -> bool:
    """Whether a reported "failed:" line shows str(error), not a repr.

    Every repr has a parenthesis, and none of these tests' error messages does.
    """
    _, failed, error = line.partition(" failed: ")
    return bool(failed) and "(" not in error


def _same_error_type_other_text(reported: list[str], wanted: list[str]) -> bool:
    """Whether a reported "failed:" line has a wanted line's job and error type, not its text."""
    failed = [line for line in wanted if " failed: " in line]
    return any(
        got != line and got.split("(")[0] == line.split("(")[0]
        for got in reported
        for line in failed
    )


def _as_repr(line: str) -> str:
    """A "done: ok" line as an answer using the result's repr would put it."""
    head, _, result = line.partition(" done: ")
    return f"{head} done: {result!r}"


async def work(seconds: float, outcome: object) -> object:
    """A job that takes `seconds` of loop time, then returns or raises `outcome`."""
    await asyncio.sleep(seconds)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@asynccontextmanager
async def running(
    **jobs: Coroutine[Any, Any, object],
) -> AsyncIterator[dict[str, asyncio.Task[object]]]:
    """Run each job as a task for the duration of the block.

    On the way out, stop those still running and collect every outcome, so the test leaves
    no task or unread error behind even when track() fails.
    """
    tasks = {name: asyncio.create_task(job) for name, job in jobs.items()}
    try:
        yield tasks
    finally:
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)


# Falsy results (0, "", None, an empty list) are results too, not failures or cancellations.
@pytest.mark.parametrize("result", [42, 0, "", None, False, []], ids=repr)
async def test_a_job_that_succeeds_is_reported_with_its_result_when_it_finishes(exercise, result):
    loop = asyncio.get_running_loop()
    dashboard = Dashboard()
    build: asyncio.Future[object] = loop.create_future()
    loop.call_later(1.234567, build.set_result, result)
    exercise.track("build", build, dashboard.report)
    assert dashboard.lines == [], (
        f"track() reported {dashboard.lines} before the job had finished; it should only "
        "arrange for the report and return at once."
    )
    await asyncio.sleep(5)
    expected = [(1.234567, f"build done: {result}")]
    assert dashboard.lines == expected, dashboard.explain(expected)


async def test_a_job_that_raises_is_reported_with_its_error(exercise):
    dashboard = Dashboard()
    async with running(compile=work(2.718281, ValueError("disk full"))) as jobs:
        exercise.track("compile", jobs["compile"], dashboard.report)
        await asyncio.sleep(5)
    expected = [(2.718281, "compile failed: ValueError('disk full')")]
    assert dashboard.lines == expected, dashboard.explain(expected)


async def test_a_job_that_is_cancelled_is_reported_as_cancelled(exercise):
    loop = asyncio.get_running_loop()
    dashboard = Dashboard()
    async with running(deploy=work(60, 0)) as jobs:
        loop.call_later(0.577215, jobs["deploy"].cancel)
        exercise.track("deploy", jobs["deploy"], dashboard.report)
        await asyncio.sleep(5)
    expected = [(0.577215, "deploy cancelled")]
    assert dashboard.lines == expected, dashboard.explain(expected)


async def test_each_job_is_reported_the_moment_it_finishes(exercise):
    loop = asyncio.get_running_loop()
    dashboard = Dashboard()
    lint: asyncio.Future[str] = loop.create_future()
    loop.call_later(2.302585, lint.set_result, "no warnings")
    async with running(docs=work(60, 0), tests=work(0.693147, AssertionError("2 failed"))) as jobs:
        loop.call_later(1.618033, jobs["docs"].cancel)
        exercise.track("lint", lint, dashboard.report)
        exercise.track("docs", jobs["docs"], dashboard.report)
        exercise.track("tests", jobs["tests"], dashboard.report)
        await asyncio.sleep(5)
    expected = [
        (0.693147, "tests failed: AssertionError('2 failed')"),
        (1.618033, "docs cancelled"),
        (2.302585, "lint done: no warnings"),
    ]
    assert dashboard.lines == expected, dashboard.explain(expected)


async def test_a_job_already_finished_when_tracked_is_reported_straight_away(exercise):
    loop = asyncio.get_running_loop()
    dashboard = Dashboard()
    async with running(
        lint=work(0.25, "clean"),
        # Two arguments: its repr is not Type(str(error)), so only repr() itself gives it.
        tests=work(0.5, ConnectionError(111, "runner lost")),
        docs=work(60, 0),
    ) as jobs:
        loop.call_later(0.75, jobs["docs"].cancel)
        await asyncio.sleep(1.414214)
        for name in ["lint", "tests", "docs"]:
            exercise.track(name, jobs[name], dashboard.report)
        await asyncio.sleep(5)
    expected = [
        (1.414214, "lint done: clean"),
        (1.414214, "tests failed: ConnectionError(111, 'runner lost')"),
        (1.414214, "docs cancelled"),
    ]
    assert dashboard.lines == expected, dashboard.explain(expected)
