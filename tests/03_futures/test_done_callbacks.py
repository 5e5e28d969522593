"""Tests for exercises/03_futures/done_callbacks.py.

Jobs finish at irregular moments (1.234567 s, not 1.5 s): an answer that polls job.done()
every 0.1 s or 0.5 s sees the finish at a multiple of its interval, so it can't report at
the right moment by luck. The virtual clock counts in microseconds, so these times are exact.
"""

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any


class Dashboard:
    """Collects the reported lines, each with the event-loop time it arrived at."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []

    def report(self, line: str) -> None:
        self.lines.append((asyncio.get_running_loop().time(), line))

    def explain(self, expected: list[tuple[float, str]]) -> str:
        got = "\n".join(f"  t={t} s  {line!r}" for t, line in self.lines) or "  (nothing)"
        wanted = "\n".join(f"  t={t} s  {line!r}" for t, line in expected)
        if sorted(line for _, line in self.lines) == sorted(line for _, line in expected):
            nudge = (
                "The lines are right but they came at the wrong moments. Don't poll: "
                "job.add_done_callback(...) makes the loop call you the moment the job finishes."
            )
        else:
            nudge = (
                "Register a done callback with job.add_done_callback(...). Inside it, check "
                "job.cancelled() and job.exception() before you read job.result(), which "
                "raises for a failed or cancelled job."
            )
        return f"The dashboard received:\n{got}\nexpected:\n{wanted}\n{nudge}"


async def work(seconds: float, outcome: int | Exception) -> int:
    """A job that takes `seconds` of loop time, then returns or raises `outcome`."""
    await asyncio.sleep(seconds)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@asynccontextmanager
async def running(**jobs: Coroutine[Any, Any, int]) -> AsyncIterator[dict[str, asyncio.Task[int]]]:
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


async def test_a_job_that_succeeds_is_reported_with_its_result_when_it_finishes(exercise):
    loop = asyncio.get_running_loop()
    dashboard = Dashboard()
    build: asyncio.Future[int] = loop.create_future()
    loop.call_later(1.234567, build.set_result, 42)
    exercise.track("build", build, dashboard.report)
    assert dashboard.lines == [], (
        f"track() reported {dashboard.lines} before the job had finished; it should only "
        "arrange for the report and return at once."
    )
    await asyncio.sleep(5)
    expected = [(1.234567, "build done: 42")]
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
    lint: asyncio.Future[int] = loop.create_future()
    loop.call_later(2.302585, lint.set_result, 0)
    async with running(docs=work(60, 0), tests=work(0.693147, AssertionError("2 failed"))) as jobs:
        loop.call_later(1.618033, jobs["docs"].cancel)
        exercise.track("lint", lint, dashboard.report)
        exercise.track("docs", jobs["docs"], dashboard.report)
        exercise.track("tests", jobs["tests"], dashboard.report)
        await asyncio.sleep(5)
    expected = [
        (0.693147, "tests failed: AssertionError('2 failed')"),
        (1.618033, "docs cancelled"),
        (2.302585, "lint done: 0"),
    ]
    assert dashboard.lines == expected, dashboard.explain(expected)
