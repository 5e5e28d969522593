"""Tests for exercises/02_tasks/first_to_answer.py."""

import asyncio

import pytest

from grader.inside.testing import Timeline


class FakeMirrors:
    """Mirrors that answer "<page> from <mirror>" after a per-mirror delay of virtual time.

    A cancelled request takes `cleanup` seconds to close its connection before it stops.
    """

    def __init__(
        self, delays: dict[str, float], broken: str | None = None, cleanup: float = 0
    ) -> None:
        self.delays = delays
        self.broken = broken
        self.cleanup = cleanup
        self.timeline = Timeline()

    async def fetch(self, mirror: str) -> str:
        async with self.timeline.track(f"fetch from {mirror}"):
            try:
                await asyncio.sleep(self.delays[mirror])
            except asyncio.CancelledError:
                if self.cleanup:
                    await asyncio.sleep(self.cleanup)  # closing the connection takes a while
                raise
            if mirror == self.broken:
                raise ConnectionError(f"{mirror} is down")
            return f"page from {mirror}"

    def still_running(self) -> list[str]:
        return [span.label for span in self.timeline.spans if span.end is None]

    def not_cancelled(self, winner: str) -> list[str]:
        return [
            span.label
            for span in self.timeline.spans
            if span.label != f"fetch from {winner}" and span.outcome != "cancelled"
        ]


async def test_the_fastest_mirror_s_page_is_returned_as_soon_as_it_arrives(exercise, clock):
    mirrors = FakeMirrors({"eu": 3, "us": 1, "asia": 2})
    page = await exercise.first_answer(["eu", "us", "asia"], mirrors.fetch)
    assert page == "page from us", (
        f"first_answer(['eu', 'us', 'asia']) returned {page!r}; expected 'page from us', "
        "the answer of the fastest mirror (1 s; the others take 2 s and 3 s)."
    )
    assert clock.now == 1, mirrors.timeline.explain(
        f"first_answer returned at t={clock.now:g} s; expected t=1 s, when the fastest "
        "mirror answered.",
        "Wait only for the first request to finish: "
        "asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED).",
    )


async def test_the_slower_requests_are_cancelled_and_finished_before_it_returns(exercise, clock):
    mirrors = FakeMirrors({"eu": 3, "us": 1, "asia": 2})
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


async def test_it_returns_only_once_the_cancelled_requests_have_cleaned_up(exercise, clock):
    mirrors = FakeMirrors({"eu": 3, "us": 1, "asia": 2}, cleanup=0.5)
    page = await exercise.first_answer(["eu", "us", "asia"], mirrors.fetch)
    still_running = mirrors.still_running()
    assert not still_running, mirrors.timeline.explain(
        f"first_answer returned {page!r} at t={clock.now:g} s, but {still_running} were "
        "still closing their connections: a cancelled request here needs 0.5 s to stop.",
        "Giving the cancelled tasks one turn (asyncio.sleep(0)) is not the same as waiting "
        "for them. Cancel every slower request, then await them (asyncio.gather(*pending, "
        "return_exceptions=True) or asyncio.wait(pending)) before you return.",
    )
    assert clock.now == 1.5, mirrors.timeline.explain(
        f"first_answer returned at t={clock.now:g} s; expected t=1.5 s: 'us' answered at "
        "1 s, and the cancelled requests took 0.5 s to stop, all at the same time.",
        "Cancel every slower request first, then wait for all of them together.",
    )


async def test_a_single_mirror_is_enough(exercise, clock):
    mirrors = FakeMirrors({"home": 2})
    page = await exercise.first_answer(["home"], mirrors.fetch)
    assert (page, clock.now) == ("page from home", 2), (
        f"first_answer(['home']) returned {page!r} at t={clock.now:g} s; expected "
        "'page from home' at t=2 s. With one mirror there is nothing left to cancel: "
        "asyncio.wait() refuses an empty set, asyncio.gather() does not mind."
    )


async def test_a_failed_first_answer_raises_after_the_others_are_stopped(exercise, clock):
    mirrors = FakeMirrors({"eu": 3, "us": 1, "asia": 2}, broken="us", cleanup=0.5)
    with pytest.raises(ConnectionError, match="us is down"):
        await exercise.first_answer(["eu", "us", "asia"], mirrors.fetch)
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
