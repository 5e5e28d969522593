"""Tests for exercises/04_synchronisation/bounded_downloads.py.

The task fixes how many downloads run at once, not which url takes a free slot first, so
the tests check the slots themselves: never more than `limit` busy, and never one left
free while a url is still waiting to start. An answer that hands a free slot to any
waiting url the moment it frees passes, whatever order it starts the urls in.
"""

import asyncio

import pytest

from grader.inside.testing import FakeNetwork


class FakeServer(FakeNetwork):
    """The fake network, plus errors of any type and a check of how many downloads overlapped.

    A url in `errors` raises that very exception object when its delay is over.
    """

    def __init__(
        self,
        delays: dict[str, float] | None = None,
        broken: str | None = None,
        errors: dict[str, Exception] | None = None,
    ) -> None:
        super().__init__(delays, broken)
        self.errors = errors or {}

    async def download(self, url: str) -> str:
        if url not in self.errors:
            return await super().download(url)
        async with self.timeline.track(f"download {url}"):
            await asyncio.sleep(self.delays.get(url, 1))
            raise self.errors[url]

    def too_many(self, limit: int) -> str:
        """A failure message if more than `limit` downloads overlapped, else empty."""
        when, most = self.timeline.busiest_moment()
        if most <= limit:
            return ""
        return self.timeline.explain(
            f"{most} downloads were running at once at t={when:g} s; at most {limit} may.",
            f"Whatever holds the extra downloads back must let one start only while fewer "
            f"than {limit} are running (a test like `running <= limit` lets one too many "
            f"through). The simplest: ONE asyncio.Semaphore({limit}) for the whole call, "
            "held (`async with`) around each download; a semaphore made per download limits "
            "nothing.",
        )

    def idle_slot(self, limit: int, nudge: str) -> str:
        """A failure message if a slot stayed free while a url waited to start, else empty.

        A slot can only free up when a download ends, so it is enough to look at the start
        and at each end: whatever starts in that same instant already counts as running.
        """
        spans = self.timeline.spans
        for moment in sorted({0.0, *(span.end for span in spans if span.end is not None)}):
            running = sum(
                1
                for span in spans
                if span.start <= moment and (span.end is None or span.end > moment)
            )
            waiting = [
                span.label.removeprefix("download ") for span in spans if span.start > moment
            ]
            if waiting and running < limit:
                return self.timeline.explain(
                    f"At t={moment:g} s only {running} of the {limit} slots were busy, while "
                    f"{', '.join(waiting)} had not started yet.",
                    nudge,
                )
        return ""


async def test_pages_come_back_in_the_order_of_the_urls(exercise):
    server = FakeServer({"a": 3, "b": 1, "c": 2, "d": 1})
    pages = await exercise.download_all(["a", "b", "c", "d"], server.download, 2)
    assert pages == ["a!", "b!", "c!", "d!"], (
        f"download_all(['a', 'b', 'c', 'd'], limit=2) returned {pages!r}; expected "
        "['a!', 'b!', 'c!', 'd!']: the order of `urls`, not the order the downloads finish."
    )


async def test_never_more_than_three_downloads_at_once(exercise):
    server = FakeServer()
    await exercise.download_all([f"u{n}" for n in range(10)], server.download, 3)
    assert len(server.timeline.spans) == 10, (
        f"download_all made {len(server.timeline.spans)} downloads for 10 urls; expected 10."
    )
    assert not server.too_many(3), server.too_many(3)


async def test_ten_one_second_downloads_through_three_slots_take_four_seconds(exercise, clock):
    server = FakeServer()
    await exercise.download_all([f"u{n}" for n in range(10)], server.download, 3)
    assert not server.too_many(3), server.too_many(3)
    assert clock.now == 4, server.timeline.explain(
        f"Ten one-second downloads with 3 slots took {clock.now:g} s; expected 4 s "
        "(3 + 3 + 3 + 1).",
        "Keep all 3 slots busy: start every download at once and let the semaphore make "
        "the extra ones wait.",
    )


async def test_a_free_slot_is_used_at_once_not_after_the_whole_batch(exercise):
    server = FakeServer({"a": 3, "b": 1, "c": 1, "d": 1})
    await exercise.download_all(["a", "b", "c", "d"], server.download, 2)
    assert not server.too_many(2), server.too_many(2)
    idle = server.idle_slot(
        2,
        "A slot that frees up must go to a waiting url at once: start every download and "
        "let the semaphore hold back the extra ones. Waiting for a batch of `limit` "
        "downloads to finish leaves slots idle behind the slowest one.",
    )
    assert not idle, idle


async def test_a_failed_download_gives_back_its_slot(exercise, clock):
    # With 2 slots: a (fails) and b at t=0, c and d at t=1, e at t=2, all done at t=3.
    server = FakeServer(broken="a")
    results = await exercise.download_all(["a", "b", "c", "d", "e"], server.download, 2)
    assert isinstance(results[0], ConnectionError), (
        f"download_all put {results[0]!r} in the place of the failed download 'a'; expected "
        "the ConnectionError it raised."
    )
    assert results[1:] == ["b!", "c!", "d!", "e!"], (
        f"The downloads after a failure gave {results[1:]!r}; expected "
        "['b!', 'c!', 'd!', 'e!']. One failed download must not stop the others."
    )
    assert not server.too_many(2), server.too_many(2)
    leaked = server.timeline.most_at_once() == 2
    assert clock.now == 3, server.timeline.explain(
        f"Five one-second downloads with 2 slots, one failing, took {clock.now:g} s; expected 3 s.",
        "After the failure fewer downloads ran at once: the failed download kept its slot. "
        "Release the semaphore however the download ends; `async with semaphore:` does that "
        "for you."
        if leaked
        else "Only one download ran at a time. Start them all and let the semaphore allow 2.",
    )


async def test_with_odd_delays_each_download_starts_the_instant_a_slot_frees(exercise):
    server = FakeServer({"a": 0.25, "b": 1.3, "c": 2.5, "d": 0.25, "e": 1.3, "f": 0.37})
    await exercise.download_all(["a", "b", "c", "d", "e", "f"], server.download, 2)
    assert not server.too_many(2), server.too_many(2)
    assert len(server.timeline.spans) == 6, (
        f"download_all made {len(server.timeline.spans)} downloads for 6 urls; expected 6."
    )
    idle = server.idle_slot(
        2,
        "A download must start the moment a slot frees, not at the next check: waiting "
        "on the semaphore (`async with semaphore:`) wakes exactly then; a loop that sleeps "
        "and looks again is late.",
    )
    assert not idle, idle


@pytest.mark.parametrize(("limit", "count"), [(3, 4), (5, 5), (4, 7), (6, 3), (1, 2)])
async def test_all_limit_slots_are_used_however_few_urls_there_are(exercise, limit, count):
    urls = [f"u{n}" for n in range(count)]
    server = FakeServer({url: 1 + n / 8 for n, url in enumerate(urls)})
    await exercise.download_all(urls, server.download, limit)
    spans = server.timeline.spans
    assert len(spans) == count, (
        f"download_all made {len(spans)} downloads for {count} urls; expected {count}."
    )
    assert not server.too_many(limit), server.too_many(limit)
    at_once = sum(1 for span in spans if span.start == 0)
    expected = min(limit, count)
    assert at_once == expected, server.timeline.explain(
        f"With limit={limit} and {count} urls, {at_once} of the downloads started at t=0; "
        f"expected {expected}.",
        "`limit` is the number of slots whatever the number of urls: make one "
        "asyncio.Semaphore(limit), not one sized from len(urls), and start every download.",
    )
    idle = server.idle_slot(limit, "Hand a free slot to a waiting url at once.")
    assert not idle, idle


async def test_a_download_that_takes_minutes_is_waited_for(exercise):
    server = FakeServer({"a": 612.37, "b": 0.25, "c": 734.13, "d": 1.3})
    pages = await exercise.download_all(["a", "b", "c", "d"], server.download, 2)
    assert pages == ["a!", "b!", "c!", "d!"], server.timeline.explain(
        f"Downloads of 612.37 s, 0.25 s, 734.13 s and 1.3 s, limit 2, gave {pages!r}; "
        "expected ['a!', 'b!', 'c!', 'd!'].",
        "The task sets no time limit on a download: a slow page is still a page. Await "
        "download(url) as it is, without asyncio.wait_for or asyncio.timeout around it.",
    )
    idle = server.idle_slot(
        2, "Hand a free slot to a waiting url at once, however long the others take."
    )
    assert not idle, idle


async def test_the_same_url_twice_is_downloaded_twice_and_gets_its_page_in_both_places(
    exercise,
):
    server = FakeServer({"a": 1, "b": 0.25, "c": 0.5})
    pages = await exercise.download_all(["a", "b", "a", "c"], server.download, 2)
    assert pages == ["a!", "b!", "a!", "c!"], (
        f"download_all(['a', 'b', 'a', 'c'], limit=2) returned {pages!r}; expected "
        "['a!', 'b!', 'a!', 'c!']. Each place in the list belongs to its position in `urls`, "
        "and a url can appear twice: keep results by position (gather does), not by "
        "looking the url up with urls.index()."
    )
    downloaded = [span.label.removeprefix("download ") for span in server.timeline.spans]
    assert sorted(downloaded) == ["a", "a", "b", "c"], (
        f"For the urls ['a', 'b', 'a', 'c'], download was called for {sorted(downloaded)}; "
        "expected a download per place in the list, 'a' twice. The task asks for every url "
        "in the list to be downloaded, a repeated one as often as it appears (a page can "
        "change between two downloads), so don't skip the repeats."
    )


async def test_no_urls_means_no_downloads_and_an_empty_list(exercise, clock):
    server = FakeServer()
    pages = await exercise.download_all([], server.download, 3)
    assert (pages, len(server.timeline.spans), clock.now) == ([], 0, 0), (
        f"download_all([], limit=3) returned {pages!r} after {clock.now:g} s and "
        f"{len(server.timeline.spans)} downloads; expected [] at once, with no download. "
        "An empty list of urls is a list like any other: make sure nothing in your code "
        "needs at least one url (asyncio.wait, for one, refuses an empty set)."
    )


async def test_errors_of_any_type_take_their_places_as_the_very_objects_raised(exercise):
    errors: dict[str, Exception] = {
        "b": TimeoutError("b took too long"),
        "d": ValueError("d sent a page that is not a page"),
        "e": PermissionError("e is private"),
    }
    server = FakeServer(
        {"a": 0.25, "b": 1.3, "c": 0.37, "d": 2.5, "e": 0.13, "f": 1.45}, errors=errors
    )
    urls = ["a", "b", "c", "d", "e", "f"]
    try:
        results = await exercise.download_all(urls, server.download, 2)
    except Exception as error:
        pytest.fail(
            f"download_all raised {error!r} when downloads failed with TimeoutError, "
            "ValueError and PermissionError; expected each error in its url's place. Any "
            "download may fail with any exception, not only ConnectionError: keep every "
            "Exception (gather(..., return_exceptions=True) does)."
        )
    assert len(results) == len(urls), f"download_all returned {len(results)} results for 6 urls."
    for url, result in zip(urls, results, strict=True):
        if url not in errors:
            assert result == f"{url}!", (
                f"download_all gave {result!r} for {url!r}; expected {url + '!'!r}."
            )
            continue
        raised = errors[url]
        assert result is raised, (
            f"In the place of {url!r}, whose download raised {raised!r}, download_all put "
            f"{result!r}"
            + (", an equal copy, not the object raised" if type(result) is type(raised) else "")
            + ". Expected the exception object itself, so the caller can tell what happened "
            "(its traceback included): put the caught error in the list as it is."
        )
    assert not server.too_many(2), server.too_many(2)
    idle = server.idle_slot(
        2,
        "A failed download must free its slot at once, whatever its error.",
    )
    assert not idle, idle
