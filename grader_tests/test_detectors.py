"""Each mistake detector fails a test with a learner-worded message, and clean code passes."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from grader.inside.detectors import awaited_frames, source_nudges, unretrieved_errors
from grader.inside.messages import failure_message
from grader.manifest import KIT_ROOT, shown_path

CASES = Path(__file__).with_name("detector_cases") / "cases.py"


@pytest.fixture(scope="module")
def failures() -> dict[str, str]:
    """Each case's output, from one pytest run of the cases file (its own sections)."""
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(CASES), "--timeout=1", "-p", "no:warnings",
         "-o", "python_files=cases.py"],
        cwd=KIT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    sections = re.split(r"^_{3,} (test_\w+) _{3,}$", completed.stdout, flags=re.MULTILINE)
    found = dict(zip(sections[1::2], sections[2::2], strict=True))
    found["summary"] = completed.stdout.splitlines()[-1]
    return found


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("test_deadlock", "Deadlock at t=2 s of event-loop time"),
        ("test_never_awaited", "The coroutine work() was created but never awaited"),
        ("test_pending_task", "Task 'forgotten' (work()), created at grader_tests/detector_cases"),
        ("test_unretrieved_exception", "A task failed with ValueError('kaput')"),
        ("test_blocking_call", "Blocking call time.sleep() inside a coroutine"),
        ("test_busy_loop", "The event loop did not get control back for a long stretch"),
        ("test_task_that_ignores_cancellation", "Task 'stubborn' ignored cancellation"),
    ],
)
def test_each_mistake_fails_its_test_with_a_learner_message(failures, case, words):
    assert words in failures[case]


@pytest.mark.timeout(60)
def test_clean_code_passes_and_nothing_else_does(failures):
    assert "test_clean_code_passes" not in failures
    assert "7 failed, 1 passed" in failures["summary"]


# A lock or semaphore a function makes, and whether each caller then holds its own.
_LOCK_PER_CALL = "import asyncio\n\n\nasync def deposit(account):\n    lock = asyncio.Lock()\n    async with lock:\n        account.balance += 1\n"  # noqa: E501
_FRESH_IN_WITH = "import asyncio\n\n\nasync def deposit(account):\n    async with asyncio.Lock():\n        account.balance += 1\n"  # noqa: E501
_SHARED_BY_A_CLOSURE = "import asyncio\n\n\nasync def download_all(urls, limit, download):\n    slots = asyncio.Semaphore(limit)\n\n    async def one(url):\n        async with slots:\n            return await download(url)\n\n    return await asyncio.gather(*(one(url) for url in urls))\n"  # noqa: E501
_SHARED_AS_AN_ARGUMENT = "import asyncio\n\n\nasync def download_all(urls, limit, download):\n    slots = asyncio.Semaphore(limit)\n    return await asyncio.gather(*(fetch(slots, url, download) for url in urls))\n"  # noqa: E501
_MADE_LAZILY_FOR_THE_MODULE = "import asyncio\n\n_lock = None\n\n\nasync def ask(question):\n    global _lock\n    if _lock is None:\n        _lock = asyncio.Lock()\n    async with _lock:\n        return question\n"  # noqa: E501


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        (_LOCK_PER_CALL, True),
        (_FRESH_IN_WITH, True),
        (_SHARED_BY_A_CLOSURE, False),
        (_SHARED_AS_AN_ARGUMENT, False),
        (_MADE_LAZILY_FOR_THE_MODULE, False),
    ],
    ids=["local lock", "fresh lock in async with", "semaphore shared by a closure",
         "semaphore passed to each task", "module lock made lazily"],
)  # fmt: skip
def test_a_lock_is_reported_as_made_per_call_only_when_no_one_shares_it(tmp_path, source, flagged):
    learner_file = tmp_path / "attempt.py"
    learner_file.write_text(source, encoding="utf-8")
    nudges = [n for n in source_nudges(learner_file, "took 4 s") if "made on every call" in n]
    assert bool(nudges) is flagged, nudges


_MONOTONIC_LOG = "import asyncio\nimport time\n\n\nasync def wait_turn(starts):\n    now = time.monotonic()\n    if starts and now - starts[0] < 1:\n        await asyncio.sleep(1 - (now - starts[0]))\n    starts.append(time.monotonic())\n"  # noqa: E501
_IMPORTED_PERF_COUNTER = "import asyncio\nfrom time import perf_counter as clock\n\n\nasync def timed(job):\n    began = clock()\n    await job()\n    return clock() - began\n"  # noqa: E501
_LOOP_CLOCK = "import asyncio\nimport time\n\n\nasync def timed(job):\n    loop = asyncio.get_running_loop()\n    began = loop.time()\n    await job()\n    time.sleep(0)\n    return loop.time() - began\n"  # noqa: E501


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (_MONOTONIC_LOG, [("6, 9", "time.monotonic")]),
        (_IMPORTED_PERF_COUNTER, [("6, 8", "time.perf_counter")]),
        (_LOOP_CLOCK, []),
    ],
    ids=["time.monotonic twice", "perf_counter imported under another name", "the loop's clock"],
)  # fmt: skip
def test_reading_the_machine_s_clock_is_pointed_at_the_loop_s(tmp_path, source, expected):
    learner_file = tmp_path / "attempt.py"
    learner_file.write_text(source, encoding="utf-8")
    nudges = [n for n in source_nudges(learner_file, "took 0 s") if "machine's clock" in n]
    shown = shown_path(learner_file)
    leads = [f"{shown}:{lines}: {name}() reads the machine's clock" for lines, name in expected]
    assert len(nudges) == len(leads), nudges
    assert [nudge[: len(lead)] for nudge, lead in zip(nudges, leads, strict=True)] == leads
    assert all("asyncio.get_running_loop().time()" in nudge for nudge in nudges)


def _callback_named(qualname: str) -> Callable[[], None]:
    def callback() -> None:
        pass

    callback.__qualname__ = qualname
    return callback


@pytest.mark.parametrize(
    ("qualname", "reported"),
    [("StreamReaderProtocol.connection_made.<locals>.callback", False), ("on_done", True)],
    ids=["asyncio's own start_server callback", "a callback of the learner's"],
)
async def test_a_cancelled_error_from_asyncio_s_start_server_callback_is_not_the_learner_s(
    qualname, reported
):
    handle = asyncio.Handle(_callback_named(qualname), (), asyncio.get_running_loop())
    context = {"message": "Exception in callback", "exception": asyncio.CancelledError(),
               "handle": handle}  # fmt: skip
    assert bool(unretrieved_errors([context])) is reported


@pytest.mark.parametrize("deadlocked", [True, False], ids=["after a deadlock", "no deadlock"])
def test_a_failure_after_a_deadlock_leads_with_the_deadlock(deadlocked):
    # The deadlock error is a TimeoutError: a test's `pytest.raises(OSError)` can swallow it.
    with pytest.raises(AssertionError) as caught:
        raise AssertionError("Regex pattern did not match.")
    waiting_at = ["at attempt.py:10: return await fut"] if deadlocked else []
    text = failure_message(caught, 2.5, waiting_at, [], None)
    assert text.startswith("Deadlock at t=2.5 s") is deadlocked, text
    assert "Regex pattern did not match." in text


async def test_the_chain_of_awaits_goes_on_into_async_generators():
    # Where a task waits is the innermost frame: inside an async generator that an
    # `async for`, `anext` or `async with` (an asynccontextmanager) is waiting on.
    async def numbers() -> AsyncIterator[int]:
        await asyncio.Event().wait()
        yield 1

    @asynccontextmanager
    async def opened() -> AsyncIterator[None]:
        await asyncio.Event().wait()
        yield

    async def iterate() -> None:
        async for _ in numbers():
            pass

    async def step() -> None:
        await anext(numbers())

    async def enter() -> None:
        async with opened():
            pass

    for consumer, innermost in ((iterate, "numbers"), (step, "numbers"), (enter, "opened")):
        task = asyncio.create_task(consumer())
        await asyncio.sleep(0)
        names = [frame.f_code.co_name for frame in awaited_frames(task.get_coro())]
        task.cancel()
        assert names[0] == consumer.__name__
        assert names[-2:] == [innermost, "wait"], f"{consumer.__name__}: {names}"
