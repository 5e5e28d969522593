"""Tests for exercises/02_tasks/first_to_answer.py."""

import asyncio

import pytest

from grader.inside.testing import Timeline


class FakeMirrors:
    """Mirrors that answer "<page> from <mirror>" after a per-mirror delay of virtual time.

    A cancelled request takes `cleanups[mirror]` seconds (0 if not given) to close its
    connection before it stops; the one to `fail_when_cancelled` then fails with an error
    of its own instead of ending cancelled.
    """

    def __init__(
        self,
        delays: dict[str, float],
        broken: str | None = None,
        cleanups: dict[str, float] | None = None,
        fail_when_cancelled: str | None = None,
    ) -> None:
        self.delays = delays
        self.broken = broken
        self.cleanups = cleanups or {}
        self.fail_when_cancelled = fail_when_cancelled
        self.failed_when_cancelled: list[asyncio.Task[object]] = []
        self.timeline = Timeline()
        self.cancelled_at: dict[str, float] = {}
        self.errors: list[ConnectionError] = []

    async def fetch(self, mirror: str) -> str:
        async with self.timeline.track(f"fetch from {mirror}"):
            try:
                await asyncio.sleep(self.delays[mirror])
            except asyncio.CancelledError:
                self.cancelled_at[mirror] = asyncio.get_running_loop().time()
                if self.cleanups.get(mirror):
                    # closing the connection takes a while
                    await asyncio.sleep(self.cleanups[mirror])
                if mirror == self.fail_when_cancelled:
                    task = asyncio.current_task()
                    assert task is not None
                    self.failed_when_cancelled.append(task)
                    raise ConnectionError(f"{mirror} was reset while closing") from None
                raise
            if mirror == self.broken:
                self.errors.append(ConnectionError(f"{mirror} is down"))
                raise self.errors[-1]
            return f"page from {mirror}"

    def still_running(self) -> list[str]:
        return [span.label for span in self.timeline.spans if span.end is None]

    def not_cancelled(self, winner: str) -> list[str]:
        return [
            span.label
            for span in self.timeline.spans
            if span.label != f"fetch from {winner}" and span.outcome != "cancelled"
        ]

    def last_stop(self) -> float:
        """When the last request stopped (the tests call it once every request has)."""
        return max(span.end for span in self.timeline.spans if span.end is not None)


def returned_late(mirrors: FakeMirrors, now: float, expected: float, winner: str) -> str:
    """A failure message for first_answer returning at `now` instead of at `expected`."""
    answered = min(span.end for span in mirrors.timeline.spans if span.end is not None)
    cancels = sorted(set(mirrors.cancelled_at.values()))
    what = f"first_answer returned at t={now:g} s; expected t={expected:g} s."
    if mirrors.not_cancelled(winner):
        what += " The slower requests ran to the end."
        nudge = (
            "Wait only for the first request to finish "
            "(asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)), then cancel the rest."
        )
    elif cancels and cancels[0] > answered:
        what += (
            f" {winner!r} answered at t={answered:g} s, but the other requests were "
            f"cancelled only at t={cancels[0]:g} s."
        )
        nudge = (
            "Checking now and then whether a task is done is late by up to one check, each "
            "time you check. Await instead (asyncio.wait with FIRST_COMPLETED for the first "
            "answer, asyncio.gather for the cancelled ones): that wakes you the instant they "
            "are done."
        )
    elif len(cancels) > 1:
        what += f" The other requests were cancelled one after another, at t={cancels} s."
        nudge = (
            "Cancelling and awaiting the requests one at a time adds their cleanups up. "
            "Cancel every slower request first, so that they clean up at the same time, "
            "then wait for all of them together."
        )
    else:
        what += f" Every request had stopped by t={mirrors.last_stop():g} s."
        nudge = (
            "first_answer went on waiting after that. Checking now and then whether tasks "
            "are done is late by up to one check: await them instead (asyncio.gather or "
            "asyncio.wait), which wakes you the instant they are done."
        )
    return mirrors.timeline.explain(what, nudge)


async def test_the_fastest_mirror_s_page_is_returned_as_soon_as_it_arrives(exercise, clock):
    mirrors = FakeMirrors({"eu": 3.2, "us": 1.13, "asia": 2.6})
    page = await exercise.first_answer(["eu", "us", "asia"], mirrors.fetch)
    assert page == "page from us", (
        f"first_answer(['eu', 'us', 'asia']) returned {page!r}; expected 'page from us', "
        "the answer of the fastest mirror (1.13 s; the others take 2.6 s and 3.2 s)."
    )
    assert clock.now == 1.13, returned_late(mirrors, clock.now, 1.13, winner="us")


async def test_the_slower_requests_are_cancelled_and_finished_before_it_returns(exercise, clock):
    mirrors = FakeMirrors({"eu": 3.2, "us": 1.13, "asia": 2.6})
    await exercise.first_answer(["eu", "us", "asia"], mirrors.fetch)
    still_running = mirrors.still_running()
    assert not still_running, mirrors.timeline.explain(
        f"When first_answer returned at t={clock.now:g} s, {still_running} had not stopped.",
        "task.cancel() only asks a task to stop; it stops the next time it gets to run. "
        "Cancel every slower request, then await them, for instance with "
        "asyncio.gather(*pending, return_exceptions=True), before you return.",
    )
    not_cancelled = mirrors.not_cancelled(winner="us")
    assert not not_cancelled, mirrors.timeline.explain(
        f"{not_cancelled} ran to the end instead of being cancelled once 'us' had answered.",
        "Call .cancel() on every request that has not finished.",
    )


STILL_CLOSING = (
    "Giving the cancelled tasks one turn (asyncio.sleep(0)) or a guessed timeout is not the "
    "same as waiting for them, and asyncio.gather without return_exceptions=True stops "
    "waiting at the first request that ends cancelled. Cancel every slower request, then "
    "await them all (asyncio.gather(*pending, return_exceptions=True) or "
    "asyncio.wait(pending)) before you return."
)


async def test_it_returns_only_once_the_cancelled_requests_have_cleaned_up(exercise, clock):
    # Each cancelled request needs its own, off-grid time to stop: returning at the first
    # one's stop, after a guessed second, or at the next tick of a poll is caught.
    mirrors = FakeMirrors({"eu": 3.2, "us": 1.13, "asia": 2.6}, cleanups={"eu": 1.45, "asia": 0.37})
    page = await exercise.first_answer(["eu", "us", "asia"], mirrors.fetch)
    still_running = mirrors.still_running()
    assert not still_running, mirrors.timeline.explain(
        f"first_answer returned {page!r} at t={clock.now:g} s, but {still_running} were "
        "still closing their connections: cancelled, 'eu' needs 1.45 s to stop and "
        "'asia' 0.37 s.",
        STILL_CLOSING,
    )
    # 'us' answers at 1.13 s; cancelled together, the others stop with the slower cleanup.
    assert clock.now == 2.58, returned_late(mirrors, clock.now, 2.58, winner="us")


async def test_a_slow_cleanup_is_waited_for_however_long_it_takes(exercise, clock):
    mirrors = FakeMirrors(
        {"eu": 3.2, "us": 1.13, "asia": 2.6}, cleanups={"eu": 3540.3, "asia": 0.37}
    )
    page = await exercise.first_answer(["eu", "us", "asia"], mirrors.fetch)
    still_running = mirrors.still_running()
    assert not still_running, mirrors.timeline.explain(
        f"first_answer returned {page!r} at t={clock.now:g} s, but {still_running} were "
        "still closing their connections: cancelled, 'eu' needs 3540.3 s to stop.",
        "There is no safe guess for how long a cancelled task takes to stop. " + STILL_CLOSING,
    )
    assert clock.now == 3541.43, returned_late(mirrors, clock.now, 3541.43, winner="us")


async def test_a_single_mirror_is_enough(exercise, clock):
    mirrors = FakeMirrors({"home": 2.37})
    page = await exercise.first_answer(["home"], mirrors.fetch)
    assert (page, clock.now) == ("page from home", 2.37), (
        f"first_answer(['home']) returned {page!r} at t={clock.now:g} s; expected "
        "'page from home' at t=2.37 s. With one mirror there is nothing left to cancel: "
        "asyncio.wait() refuses an empty set, asyncio.gather() does not mind."
        + (
            " And checking now and then whether a task is done is late by up to one check: "
            "await it instead."
            if clock.now > 2.37
            else ""
        )
    )


# Another mirror answering soon after the failed one, or long after: either way the first
# request to finish decides, and the others are cancelled at once.
@pytest.mark.parametrize("asia", [2.6, 1.41], ids=["next_answer_late", "next_answer_soon"])
async def test_a_failed_first_answer_raises_after_the_others_are_stopped(exercise, clock, asia):
    mirrors = FakeMirrors(
        {"eu": 3.2, "us": 1.13, "asia": asia}, broken="us", cleanups={"eu": 1.45, "asia": 0.37}
    )
    try:
        page = await exercise.first_answer(["eu", "us", "asia"], mirrors.fetch)
    except ConnectionError as error:
        raised: BaseException | None = error
    else:
        raised = None
    assert raised is not None, mirrors.timeline.explain(
        f"With 'us' failing first, at t=1.13 s ('asia' answers at t={asia:g} s), first_answer "
        f"returned {page!r}; expected it to raise the error of 'us', {mirrors.errors[0]!r}.",
        "The first request to finish decides, even when it failed: cancel the others at "
        "once rather than wait for a better answer, then raise the winner's error.",
    )
    assert raised is mirrors.errors[0], (
        f"first_answer raised {raised!r}; expected the very error the request to "
        f"'us' raised, {mirrors.errors[0]!r}, not a new one made from it. The winner's "
        ".result() raises that error itself: let it propagate."
    )
    still_running = mirrors.still_running()
    assert not still_running, mirrors.timeline.explain(
        f"first_answer raised the failed request's error at t={clock.now:g} s, but "
        f"{still_running} were still running.",
        "Cancel and await the other requests before you look at the winner's result: "
        ".result() raises the request's error, and nothing after it runs.",
    )
    not_cancelled = mirrors.not_cancelled(winner="us")
    assert not not_cancelled, mirrors.timeline.explain(
        f"{not_cancelled} ran to the end instead of being cancelled once 'us' had failed.",
        "Call .cancel() on every request that has not finished, also when the first one failed.",
    )
    # 'us' fails at 1.13 s; cancelled then, the others stop with the slower cleanup (1.45 s).
    assert clock.now == 2.58, returned_late(mirrors, clock.now, 2.58, winner="us")


# A slower request that fails as it is cancelled, listed before the winner: its error is
# not the answer, whether the winner answered or failed.
@pytest.mark.parametrize("broken", [None, "us"], ids=["winner_answered", "winner_failed"])
async def test_a_request_failing_as_it_is_cancelled_does_not_change_the_outcome(
    exercise, clock, broken
):
    mirrors = FakeMirrors(
        {"eu": 3.2, "us": 1.13, "asia": 2.6},
        broken=broken,
        cleanups={"eu": 0.37, "asia": 1.45},
        fail_when_cancelled="eu",
    )
    try:
        outcome = repr(await exercise.first_answer(["eu", "us", "asia"], mirrors.fetch))
        came_out = f"returned {outcome}"
    except Exception as error:
        outcome = error if error in mirrors.errors else repr(error)
        came_out = f"raised {error!r}"
    # The task says nothing of errors a cancelled request raises as it stops: the test reads
    # this one itself, so that an answer which only waits for it (asyncio.wait) is not
    # blamed for leaving it unread.
    for task in mirrors.failed_when_cancelled:
        if task.done() and not task.cancelled():
            task.exception()
    expected = mirrors.errors[0] if broken else repr("page from us")
    what = f"raise {mirrors.errors[0]!r}" if broken else "return 'page from us'"
    assert outcome == expected, mirrors.timeline.explain(
        f"'us' {'failed' if broken else 'answered'} first, at t=1.13 s; cancelled, 'eu' failed "
        f"while closing its connection. first_answer {came_out}; expected it to {what}, the "
        "outcome of the first request to finish.",
        "Only the winner's outcome counts: when you wait for the cancelled requests (with "
        "asyncio.gather(..., return_exceptions=True) or asyncio.wait), whatever they end "
        "with is not the answer.",
    )
    assert (mirrors.still_running(), clock.now) == ([], 2.58), returned_late(
        mirrors, clock.now, 2.58, winner="us"
    )
