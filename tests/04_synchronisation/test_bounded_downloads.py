"""Tests for exercises/04_synchronisation/bounded_downloads.py."""

from grader.inside.testing import FakeNetwork


class FakeServer(FakeNetwork):
    """The fake network, plus a check of how many downloads overlapped."""

    def too_many(self, limit: int) -> str:
        """A failure message if more than `limit` downloads overlapped, else empty."""
        when, most = self.timeline.busiest_moment()
        if most <= limit:
            return ""
        return self.timeline.explain(
            f"More than {limit} were inside the semaphore at t={when:g} s: {most} downloads "
            "were running at once.",
            f"Create ONE asyncio.Semaphore({limit}) for the whole call and hold it "
            "(`async with`) around each download; a semaphore made per download limits nothing.",
        )


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


async def test_a_free_slot_is_used_at_once_not_after_the_whole_batch(exercise, clock):
    # Slot 1: a (3 s). Slot 2: b, c, d (1 s each). Everything is done at t=3.
    server = FakeServer({"a": 3, "b": 1, "c": 1, "d": 1})
    await exercise.download_all(["a", "b", "c", "d"], server.download, 2)
    assert not server.too_many(2), server.too_many(2)
    assert clock.now == 3, server.timeline.explain(
        f"Downloads of 3, 1, 1 and 1 s with 2 slots took {clock.now:g} s; expected 3 s.",
        "A slot that frees up must go to the next url at once: start every download and "
        "let the semaphore hold back the extra ones. Waiting for a batch of `limit` "
        "downloads to finish leaves slots idle behind the slowest one.",
    )


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


async def test_with_odd_delays_each_download_starts_the_instant_a_slot_frees(exercise, clock):
    # Two slots. a frees one at 0.25 s (c takes it), b at 1.3 s (d), d at 1.3 + 0.25 s (e).
    server = FakeServer({"a": 0.25, "b": 1.3, "c": 2.5, "d": 0.25, "e": 1.3})
    await exercise.download_all(["a", "b", "c", "d", "e"], server.download, 2)
    assert not server.too_many(2), server.too_many(2)
    starts = {span.label.removeprefix("download "): span.start for span in server.timeline.spans}
    expected = {"a": 0, "b": 0, "c": 0.25, "d": 1.3, "e": 1.3 + 0.25}
    assert starts == expected, server.timeline.explain(
        f"With 2 slots and downloads of 0.25, 1.3, 2.5, 0.25 and 1.3 s, they started at "
        f"{starts}; expected {expected}.",
        "A download must start the moment a slot frees, not at the next check: waiting "
        "on the semaphore (`async with semaphore:`) wakes exactly then; a loop that sleeps "
        "and looks again is late.",
    )
    assert clock.now == 1.3 + 0.25 + 1.3, f"download_all returned at t={clock.now:g} s."


async def test_the_same_url_twice_gets_its_page_in_both_places(exercise):
    server = FakeServer({"a": 1, "b": 0.25, "c": 0.5})
    pages = await exercise.download_all(["a", "b", "a", "c"], server.download, 2)
    assert pages == ["a!", "b!", "a!", "c!"], (
        f"download_all(['a', 'b', 'a', 'c'], limit=2) returned {pages!r}; expected "
        "['a!', 'b!', 'a!', 'c!']. Each place in the list belongs to its position in `urls`, "
        "and a url can appear twice: keep results by position (gather does), not by "
        "looking the url up with urls.index()."
    )
