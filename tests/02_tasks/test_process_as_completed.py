"""Tests for exercises/02_tasks/process_as_completed.py."""

import asyncio

import pytest

from grader.inside.testing import FakeNetwork


class HandlingNetwork(FakeNetwork):
    """The fake network, plus a handler that records when each page was handled.

    Every url in `broken` fails with its own error when its delay is over; the errors are of
    several types (not only ConnectionError), as a real download's are.
    """

    def __init__(
        self, delays: dict[str, float], broken: dict[str, Exception] | None = None
    ) -> None:
        super().__init__(delays)
        self.errors = broken or {}
        self.handled: list[tuple[float, str, str]] = []

    async def download(self, url: str) -> str:
        async with self.timeline.track(f"download {url}"):
            await asyncio.sleep(self.delays.get(url, 1))
            if url in self.errors:
                raise self.errors[url]
            return f"{url}!"

    def handle(self, url: str, page: str) -> None:
        self.handled.append((asyncio.get_running_loop().time(), url, page))

    def handled_at(self) -> list[str]:
        return [f"{url} at t={when:g} s" for when, url, _ in self.handled]

    def nudge(self, expected_urls: list[str], otherwise: str) -> str:
        """The polling nudge if the right pages were handled late, else `otherwise`."""
        if [url for _, url, _ in self.handled] == expected_urls:
            return (
                "The right pages, in the right order, but each handled late. Checking now and "
                "then which downloads are done is late by up to one check: await them "
                "(asyncio.as_completed), which hands you each one the instant it is done."
            )
        return otherwise


async def test_every_page_is_handled_once_with_its_own_url(exercise):
    network = HandlingNetwork({"a": 3.17, "b": 1.13, "c": 2.41})
    await exercise.process_as_completed(["a", "b", "c"], network.download, network.handle)
    pairs = sorted((url, page) for _, url, page in network.handled)
    assert pairs == [("a", "a!"), ("b", "b!"), ("c", "c!")], (
        f"process_as_completed(['a', 'b', 'c']) called handle with {pairs}; expected each url "
        "once, with its own page: [('a', 'a!'), ('b', 'b!'), ('c', 'c!')]. Pages arrive out "
        "of order, so the url must travel with its page (e.g. a small coroutine that "
        "returns (url, await download(url)))."
    )


# The slowest download takes 3.17 s, or 3540.3 s: longer than any timeout a learner might
# guess (the task sets none), and still short of the hour after which the kit calls an
# await loop endless.
@pytest.mark.parametrize("slowest", [3.17, 3540.3], ids=["3.17 s", "3540.3 s"])
async def test_each_page_is_handled_the_moment_it_arrives(exercise, clock, slowest):
    network = HandlingNetwork({"a": slowest, "b": 1.13, "c": 2.41})
    await exercise.process_as_completed(["a", "b", "c"], network.download, network.handle)
    # Off-grid times: checking every so often whether a download is done is caught.
    expected = ["b at t=1.13 s", "c at t=2.41 s", f"a at t={slowest:g} s"]
    assert network.handled_at() == expected, network.timeline.explain(
        f"The pages were handled {network.handled_at()}; expected {expected}, each one as "
        "soon as its download finished.",
        network.nudge(
            ["b", "c", "a"],
            "Handle a page when its own download is done: asyncio.as_completed(...) hands you "
            "the downloads in the order they finish.",
        ),
    )
    assert clock.now == slowest, network.timeline.explain(
        f"process_as_completed returned at t={clock.now:g} s; expected t={slowest:g} s, when "
        "the slowest download finished.",
        "All the downloads must run at the same time, each awaited however long it takes.",
    )


async def test_sixty_downloads_all_run_at_the_same_time(exercise, clock):
    # More urls than any limit a learner might guess (5, 10, 50), with distinct off-grid
    # delays from 1.37 s to 2.137 s, listed in no particular order of delay.
    delays = {f"page {n}": round(1.37 + (n * 7 % 60) * 0.013, 3) for n in range(60)}
    network = HandlingNetwork(delays)
    await exercise.process_as_completed(list(delays), network.download, network.handle)
    at_once = network.timeline.most_at_once()
    slowest = max(delays.values())
    assert (len(network.handled), at_once, clock.now) == (60, 60, slowest), (
        network.timeline.explain(
            f"Sixty downloads of 1.37 s to {slowest:g} s each: {len(network.handled)} pages "
            f"were handled, with at most {at_once} downloads running at once, and "
            f"process_as_completed returned at t={clock.now:g} s; expected 60 pages, all "
            f"sixty downloads running at the same time, and a return at t={slowest:g} s.",
            "The task sets no limit on how many downloads run at once: start every one of "
            "them (asyncio.as_completed does), then handle each as it arrives.",
        )
    )
    expected = sorted(delays, key=delays.__getitem__)
    order = [url for _, url, _ in network.handled]
    assert order == expected, network.timeline.explain(
        f"The sixty pages were handled in the order {order[:5]}...; expected the order they "
        f"arrived in, {expected[:5]}...",
        "Handle each page as soon as its own download is done.",
    )


async def test_a_failed_download_does_not_stop_the_others(exercise, clock):
    # A corrupt page, not a ConnectionError: a download can fail in more ways than one.
    corrupt = ValueError("b sent a corrupt page")
    network = HandlingNetwork({"a": 3.17, "b": 1.13, "c": 2.41}, broken={"b": corrupt})
    with pytest.raises(ValueError, match="b sent a corrupt page") as raised:
        await exercise.process_as_completed(["a", "b", "c"], network.download, network.handle)
    expected = ["c at t=2.41 s", "a at t=3.17 s"]
    assert network.handled_at() == expected, network.timeline.explain(
        f"With 'b' failing at t=1.13 s with {corrupt!r}, the pages were handled "
        f"{network.handled_at()}; expected {expected}.",
        network.nudge(
            ["c", "a"],
            "Catch a failed download's error where you await it, whatever its type (except "
            "Exception), keep it, carry on with the other downloads, and raise it once they "
            "have all finished.",
        ),
    )
    assert raised.value is corrupt, (
        f"process_as_completed raised {raised.value!r}; expected the download's own error "
        "object, not a copy or a replacement."
    )
    assert clock.now == 3.17, network.timeline.explain(
        f"process_as_completed raised at t={clock.now:g} s; expected t=3.17 s, once every "
        "download had finished.",
        "Raise the error only after the last download is done.",
    )


async def test_when_several_fail_the_first_to_fail_is_raised(exercise, clock):
    timed_out = TimeoutError("c timed out")
    unreachable = ConnectionError("a is unreachable")
    network = HandlingNetwork(
        {"a": 3.17, "b": 1.13, "c": 2.41}, broken={"a": unreachable, "c": timed_out}
    )
    try:
        await exercise.process_as_completed(["a", "b", "c"], network.download, network.handle)
    except Exception as raised:
        error: Exception | None = raised
    else:
        error = None
    got = "returned normally" if error is None else f"raised {error!r}"
    assert error is timed_out, network.timeline.explain(
        f"With 'c' failing at t=2.41 s with {timed_out!r} and 'a' at t=3.17 s with "
        f"{unreachable!r}, process_as_completed {got}; expected {timed_out!r}, the error of "
        "the first download to fail.",
        "Keep the first error that arrives, whatever its type, and don't let a later one "
        "replace it; the order of `urls` does not matter, the order the downloads fail does.",
    )
    assert (network.handled_at(), clock.now) == (["b at t=1.13 s"], 3.17), network.timeline.explain(
        f"With 'c' and 'a' failing, the pages were handled {network.handled_at()} and "
        f"process_as_completed raised at t={clock.now:g} s; expected ['b at t=1.13 s'], "
        "then the error at t=3.17 s, once every download had finished.",
        "Handle each page that does arrive, and raise only after the last download is done.",
    )


async def test_no_urls_means_nothing_to_handle(exercise, clock):
    network = HandlingNetwork({})
    await exercise.process_as_completed([], network.download, network.handle)
    assert (network.handled, clock.now) == ([], 0), (
        f"process_as_completed([]) handled {network.handled_at()} and returned at "
        f"t={clock.now:g} s; expected nothing handled, at once."
    )


async def test_the_same_url_twice_is_downloaded_and_handled_twice(exercise, clock):
    network = HandlingNetwork({"a": 1.37, "b": 0.29})
    await exercise.process_as_completed(["a", "b", "a"], network.download, network.handle)
    expected = ["b at t=0.29 s", "a at t=1.37 s", "a at t=1.37 s"]
    assert network.handled_at() == expected, network.timeline.explain(
        f"process_as_completed(['a', 'b', 'a']) handled {network.handled_at()}; expected "
        f"{expected}: a url listed twice is downloaded and handled twice.",
        "Keep one download per position in `urls`; a dict keyed by url keeps only one of the two.",
    )
    downloads = sorted(network.timeline.labels())
    assert downloads == ["download a", "download a", "download b"], network.timeline.explain(
        f"process_as_completed(['a', 'b', 'a']) made the downloads {downloads}; expected "
        "'a' to be downloaded twice, once for each time it is listed.",
        "The task asks for one download per position in `urls`, even when a url repeats: "
        "don't skip the second one (dict.fromkeys(urls) or a set drops it).",
    )
