"""Tests for exercises/02_tasks/process_as_completed.py."""

import asyncio

import pytest

from grader.inside.testing import FakeNetwork


class HandlingNetwork(FakeNetwork):
    """The fake network, plus a handler that records when each page was handled.

    Every url in `broken` fails with ConnectionError when its delay is over.
    """

    def __init__(self, delays: dict[str, float], broken: tuple[str, ...] = ()) -> None:
        super().__init__(delays)
        self.broken_urls = broken
        self.handled: list[tuple[float, str, str]] = []

    async def download(self, url: str) -> str:
        async with self.timeline.track(f"download {url}"):
            await asyncio.sleep(self.delays.get(url, 1))
            if url in self.broken_urls:
                raise ConnectionError(f"{url} is unreachable")
            return f"{url}!"

    def handle(self, url: str, page: str) -> None:
        self.handled.append((asyncio.get_running_loop().time(), url, page))

    def handled_at(self) -> list[str]:
        return [f"{url} at t={when:g} s" for when, url, _ in self.handled]


async def test_every_page_is_handled_once_with_its_own_url(exercise):
    network = HandlingNetwork({"a": 3, "b": 1, "c": 2})
    await exercise.process_as_completed(["a", "b", "c"], network.download, network.handle)
    pairs = sorted((url, page) for _, url, page in network.handled)
    assert pairs == [("a", "a!"), ("b", "b!"), ("c", "c!")], (
        f"process_as_completed(['a', 'b', 'c']) called handle with {pairs}; expected each url "
        "once, with its own page: [('a', 'a!'), ('b', 'b!'), ('c', 'c!')]. Pages arrive out "
        "of order, so the url must travel with its page (e.g. a small coroutine that "
        "returns (url, await download(url)))."
    )


async def test_each_page_is_handled_the_moment_it_arrives(exercise, clock):
    network = HandlingNetwork({"a": 3, "b": 1, "c": 2})
    await exercise.process_as_completed(["a", "b", "c"], network.download, network.handle)
    expected = ["b at t=1 s", "c at t=2 s", "a at t=3 s"]
    assert network.handled_at() == expected, network.timeline.explain(
        f"The pages were handled {network.handled_at()}; expected {expected}, each one as "
        "soon as its download finished.",
        "Handle a page when its own download is done: asyncio.as_completed(...) hands you "
        "the downloads in the order they finish.",
    )
    assert clock.now == 3, network.timeline.explain(
        f"process_as_completed returned at t={clock.now:g} s; expected t=3 s, when the "
        "slowest download finished.",
        "All the downloads must run at the same time.",
    )


async def test_a_failed_download_does_not_stop_the_others(exercise, clock):
    network = HandlingNetwork({"a": 3, "b": 1, "c": 2}, broken=("b",))
    with pytest.raises(ConnectionError, match="b is unreachable"):
        await exercise.process_as_completed(["a", "b", "c"], network.download, network.handle)
    expected = ["c at t=2 s", "a at t=3 s"]
    assert network.handled_at() == expected, network.timeline.explain(
        f"With 'b' failing at t=1 s, the pages were handled {network.handled_at()}; "
        f"expected {expected}.",
        "Catch a failed download's error where you await it, keep it, carry on with the "
        "other downloads, and raise it once they have all finished.",
    )
    assert clock.now == 3, network.timeline.explain(
        f"process_as_completed raised at t={clock.now:g} s; expected t=3 s, once every "
        "download had finished.",
        "Raise the error only after the last download is done.",
    )


async def test_when_several_fail_the_first_to_fail_is_raised(exercise, clock):
    network = HandlingNetwork({"a": 3, "b": 1, "c": 2}, broken=("a", "c"))
    try:
        await exercise.process_as_completed(["a", "b", "c"], network.download, network.handle)
    except ConnectionError as raised:
        error: ConnectionError | None = raised
    else:
        error = None
    got = "returned normally" if error is None else f"raised {error!r}"
    assert str(error) == "c is unreachable", network.timeline.explain(
        f"With 'c' failing at t=2 s and 'a' at t=3 s, process_as_completed {got}; expected "
        "ConnectionError('c is unreachable'), the error of the first download to fail.",
        "Keep the first error that arrives and don't let a later one replace it; the order "
        "of `urls` does not matter, the order the downloads fail does.",
    )
    assert (network.handled_at(), clock.now) == (["b at t=1 s"], 3), network.timeline.explain(
        f"With 'c' and 'a' failing, the pages were handled {network.handled_at()} and "
        f"process_as_completed raised at t={clock.now:g} s; expected ['b at t=1 s'], then "
        "the error at t=3 s, once every download had finished.",
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
    network = HandlingNetwork({"a": 1.3, "b": 0.25})
    await exercise.process_as_completed(["a", "b", "a"], network.download, network.handle)
    expected = ["b at t=0.25 s", "a at t=1.3 s", "a at t=1.3 s"]
    assert network.handled_at() == expected, network.timeline.explain(
        f"process_as_completed(['a', 'b', 'a']) handled {network.handled_at()}; expected "
        f"{expected}: a url listed twice is downloaded and handled twice.",
        "Keep one download per position in `urls`; a dict keyed by url keeps only one of the two.",
    )
