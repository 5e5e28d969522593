"""Tests for exercises/09_threads_processes/bridge_a_worker_thread.py.

The job is a fake blocking library call (see conftest.py): it really blocks its worker
thread while it "imports", for 0.55 s and then 0.75 s of the event loop's clock, saying
"still importing" after each part, and the kit's blocking-call detector refuses it on the
loop's own thread. Each lookup takes 0.25 s on
the loop. The kit's loop refuses loop.call_soon() made from another thread (RuntimeError)
instead of letting it work now and then by luck.
"""

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

LOOKUP_SECONDS = 0.25
# The import's two parts: the same message after each, so a report that drops a repeat shows.
IMPORT_PARTS = (0.55, 0.75)
IMPORT_SECONDS = sum(IMPORT_PARTS)
# Real seconds on_progress waits, on the loop's thread, for the job to get past report():
# a thread that only has to come back from call_soon_threadsafe does it in microseconds.
REPORT_PATIENCE = 2.0
ADVICE = "the import job blocks while it works; run it with asyncio.to_thread(job, ask, report)"


class Settings:
    """The async lookup and the progress callback, recording where and when they ran."""

    def __init__(self, clock: Any, values: dict[str, str | Exception]) -> None:
        self.clock = clock
        self.values = values
        self.loop = asyncio.get_running_loop()
        self.loop_thread = threading.get_ident()
        self.lookups: list[tuple[str, bool]] = []
        self.lookups_called_off_the_loop: list[str] = []
        self.progress: list[tuple[float, str]] = []
        self.progress_off_the_loop: list[str] = []
        self.progress_before_report_returned: list[str] = []
        self.hold_progress_until_report_returns = False
        self._reports_returned = threading.Semaphore(0)

    async def lookup(self, key: str) -> str:
        self.lookups.append((key, asyncio.get_running_loop() is self.loop))
        await asyncio.sleep(LOOKUP_SECONDS)
        value = self.values[key]
        if isinstance(value, Exception):
            raise value
        return value

    def lookup_returning_a_task(self, key: str) -> Awaitable[str]:
        """The same lookup as a plain function that starts it as a task the moment it is called.

        As Callable[[str], Awaitable[str]] allows; such a function needs the loop's thread.
        Called from another thread it is noted, and gives back the coroutine so the job goes on.
        """
        if threading.get_ident() != self.loop_thread:
            self.lookups_called_off_the_loop.append(key)
            return self.lookup(key)
        return asyncio.ensure_future(self.lookup(key))

    def on_progress(self, message: str) -> None:
        if threading.get_ident() != self.loop_thread:
            self.progress_off_the_loop.append(message)
        # Holds the loop until the job's report() has returned: a report that waits for
        # on_progress to run never returns meanwhile.
        elif self.hold_progress_until_report_returns and not self._reports_returned.acquire(
            timeout=REPORT_PATIENCE
        ):
            self.progress_before_report_returned.append(message)
        self.progress.append((self.clock.now, message))

    def report_returned(self) -> None:
        """Called by the job (in its thread) each time report() has returned."""
        self._reports_returned.release()


def import_job(library: Any, settings: Settings) -> Callable[..., str]:
    """The blocking job: asks for the host, imports in two parts, asks for the user."""

    def body(ask: Callable[[str], str], report: Callable[[str], None]) -> str:
        def say(message: str) -> None:
            report(message)
            settings.report_returned()

        host = ask("host")
        say(f"connected to {host}")
        for part, seconds in enumerate(IMPORT_PARTS, start=1):
            library.hold(f"importing, part {part}", seconds)
            say("still importing")
        say("imported 3 rows")
        try:
            user = ask("user")
        except KeyError:
            user = "nobody"
        return f"{user}@{host}: 3 rows"

    def work(ask: Any, report: Any) -> tuple[str, float, Callable[[], str]]:
        return "import job", 0, lambda: body(ask, report)

    job: Callable[..., str] = library.blocking("job", ADVICE, work)
    return job


SETTINGS: dict[str, str | Exception] = {"host": "db.local", "user": "admin"}


async def test_the_job_runs_in_a_thread_and_its_answer_comes_back(exercise, library, clock):
    settings = Settings(clock, SETTINGS)
    result = await exercise.run_job(
        import_job(library, settings), settings.lookup, settings.on_progress
    )
    assert result == "admin@db.local: 3 rows", (
        f"run_job returned {result!r}; expected 'admin@db.local: 3 rows', what the job "
        "returns once ask('host') and ask('user') gave it the looked-up values."
    )
    assert threading.get_ident() not in library.threads
    expected = 2 * LOOKUP_SECONDS + IMPORT_SECONDS
    assert clock.now == expected, library.timeline.explain(
        f"run_job returned at t={clock.now:g} s; expected t={expected:g} s (a 0.25 s "
        "lookup, 1.3 s of importing in two parts, another 0.25 s lookup).",
        "ask(key) must wait, in the worker thread, until the lookup on the loop is done.",
    )


@pytest.mark.parametrize("kind", ["coroutine_function", "function_returning_a_task"])
async def test_every_lookup_runs_on_run_job_s_own_event_loop(exercise, library, clock, kind):
    settings = Settings(clock, SETTINGS)
    lookup = settings.lookup if kind == "coroutine_function" else settings.lookup_returning_a_task
    await exercise.run_job(import_job(library, settings), lookup, settings.on_progress)
    assert not settings.lookups_called_off_the_loop, (
        f"lookup was called from the job's worker thread for "
        f"{settings.lookups_called_off_the_loop}; expected it called on run_job's event loop. "
        "This lookup is a plain function that starts its work as a task the moment it is "
        "called, which only works on the loop's thread. Call lookup(key) inside a coroutine "
        "that runs on the loop (async def looked_up(key): return await lookup(key)), and "
        "hand that coroutine over with asyncio.run_coroutine_threadsafe."
    )
    assert settings.lookups == [("host", True), ("user", True)], (
        f"The lookups ran as {settings.lookups} (key, on run_job's loop?); expected "
        "[('host', True), ('user', True)]. asyncio.run() in the worker thread starts a "
        "second event loop; asyncio.run_coroutine_threadsafe(coro, loop) hands the "
        "coroutine to the loop run_job runs on."
    )


async def test_progress_reaches_the_loop_thread_as_soon_as_it_is_reported(exercise, library, clock):
    settings = Settings(clock, SETTINGS)
    settings.hold_progress_until_report_returns = True
    await exercise.run_job(import_job(library, settings), settings.lookup, settings.on_progress)
    assert not settings.progress_off_the_loop, (
        f"on_progress was called from the worker thread for {settings.progress_off_the_loop}; "
        "expected every call on the event loop's thread. Hand it over with "
        "loop.call_soon_threadsafe(on_progress, message)."
    )
    assert not settings.progress_before_report_returned, (
        f"report({settings.progress_before_report_returned[0]!r}) did not return until "
        "on_progress had run on the loop; expected report to hand the call over and return "
        "at once, without waiting for it. loop.call_soon_threadsafe(on_progress, message) "
        "queues the call and returns; run_coroutine_threadsafe(...).result() waits."
    )
    halfway = LOOKUP_SECONDS + IMPORT_PARTS[0]
    imported = halfway + IMPORT_PARTS[1]
    expected = [
        (LOOKUP_SECONDS, "connected to db.local"),
        (halfway, "still importing"),
        (imported, "still importing"),
        (imported, "imported 3 rows"),
    ]
    assert settings.progress == expected, (
        f"on_progress was called with {settings.progress} (time, message); expected "
        f"{expected}: each message at the moment the job reported it, in the order it "
        "reported them, and as often: the job says 'still importing' twice, and each "
        "report(message) is one on_progress(message)."
    )


async def test_a_failed_lookup_raises_its_own_error_inside_the_job(exercise, library, clock):
    missing = KeyError("user")
    settings = Settings(clock, {**SETTINGS, "user": missing})
    result = await exercise.run_job(
        import_job(library, settings), settings.lookup, settings.on_progress
    )
    assert result == "nobody@db.local: 3 rows", (
        f"With lookup('user') raising {missing!r}, run_job returned {result!r}; expected "
        "'nobody@db.local: 3 rows': the job catches the KeyError that ask('user') must "
        "raise in its thread."
    )


async def test_an_error_the_job_does_not_catch_comes_out_of_run_job(exercise, library, clock):
    outage = ConnectionError("settings store down")
    settings = Settings(clock, {**SETTINGS, "host": outage})
    with pytest.raises(ConnectionError) as raised:
        await exercise.run_job(import_job(library, settings), settings.lookup, settings.on_progress)
    assert (raised.value, clock.now) == (outage, LOOKUP_SECONDS), (
        f"With lookup('host') raising {outage!r}, run_job raised {raised.value!r} at "
        f"t={clock.now:g} s; expected that very error at t=0.25 s, passed through ask "
        "and out of the job."
    )


# During the first lookup, the import and the second lookup: the job has started by then,
# so library.finished() below has a call to wait for.
@pytest.mark.parametrize("cancel_at", [0.125, 1.3, 1.625])
async def test_cancelling_run_job_ends_it_at_once(exercise, library, clock, cancel_at):
    settings = Settings(clock, SETTINGS)
    task = asyncio.create_task(
        exercise.run_job(import_job(library, settings), settings.lookup, settings.on_progress)
    )
    asyncio.get_running_loop().call_at(cancel_at, task.cancel)
    await asyncio.wait([task])
    ended_at = clock.now
    await library.finished()  # the abandoned thread runs out on its own
    assert (task.cancelled(), ended_at) == (True, cancel_at), (
        f"run_job was cancelled at t={cancel_at:g} s and ended at t={ended_at:g} s, "
        f"{'cancelled' if task.cancelled() else 'not cancelled'}; expected it to end "
        "cancelled at once, leaving the thread to finish on its own."
    )
