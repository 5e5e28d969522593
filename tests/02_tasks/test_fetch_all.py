"""Tests for exercises/02_tasks/fetch_all.py."""

import asyncio
from collections.abc import Awaitable

import pytest

from grader.inside.testing import FakeNetwork


async def test_pages_come_back_in_the_order_of_the_urls(exercise):
    network = FakeNetwork({"a": 3, "b": 1, "c": 2})
    pages = await exercise.fetch_all(["a", "b", "c"], network.download)
    assert isinstance(pages, list), (
        f"fetch_all(['a', 'b', 'c']) returned {pages!r}, a {type(pages).__name__}; expected "
        "a list, ['a!', 'b!', 'c!'], as fetch_all's signature promises (list[str]). "
        "asyncio.gather already gives you a list: return it as it is."
    )
    assert pages == ["a!", "b!", "c!"], (
        f"fetch_all(['a', 'b', 'c']) returned {pages!r}; expected ['a!', 'b!', 'c!']. "
        "The pages must follow the order of `urls`, not the order the downloads finish."
    )


async def test_ten_one_second_downloads_take_one_second(exercise, clock):
    network = FakeNetwork()
    await exercise.fetch_all([str(n) for n in range(10)], network.download)
    assert clock.now == 1, network.timeline.explain(
        f"Ten one-second downloads took {clock.now:g} s of event-loop time; expected 1 s.",
        "They ran one after another. Start them all first (asyncio.gather, "
        "asyncio.create_task or a TaskGroup), then wait.",
    )


async def test_a_hundred_and_twenty_downloads_all_run_at_the_same_time(exercise, clock):
    network = FakeNetwork({str(n): 1.37 for n in range(120)})
    pages = await exercise.fetch_all([str(n) for n in range(120)], network.download)
    at_once = network.timeline.most_at_once()
    assert (len(pages), at_once, clock.now) == (120, 120, 1.37), network.timeline.explain(
        f"120 downloads of 1.37 s each gave {len(pages)} pages after {clock.now:g} s of "
        f"event-loop time, with at most {at_once} running at once; expected 120 pages after "
        "1.37 s, all 120 downloads running at the same time.",
        "The task sets no limit on how many run at once: start every download "
        "(asyncio.gather, asyncio.create_task or a TaskGroup), then wait for all of them.",
    )


async def test_a_slow_download_is_waited_for_however_long_it_takes(exercise, clock):
    network = FakeNetwork({"quick": 0.29, "slow": 3540.3})
    pages = await exercise.fetch_all(["slow", "quick"], network.download)
    assert (pages, clock.now) == (["slow!", "quick!"], 3540.3), network.timeline.explain(
        f"With one download taking 3540.3 s, fetch_all(['slow', 'quick']) returned {pages!r} "
        f"at t={clock.now:g} s; expected ['slow!', 'quick!'] at t=3540.3 s.",
        "fetch_all returns every page, however long the slowest download takes: wait for "
        "all of them, with no timeout to guess.",
    )


async def test_no_urls_means_no_pages(exercise, clock):
    network = FakeNetwork()
    pages = await exercise.fetch_all([], network.download)
    assert (pages, clock.now) == ([], 0), (
        f"fetch_all([]) returned {pages!r} after {clock.now:g} s of event-loop time; "
        "expected an empty list, at once: with no urls there is nothing to download."
    )


class NetworkWithOneBadPage(FakeNetwork):
    """The fake network, where the first download of `broken` raises `error` after its delay.

    Only the first: downloaded again, the page would arrive, so an answer that retries a
    failed download hides its error.
    """

    def __init__(self, delays: dict[str, float], broken: str, error: Exception) -> None:
        super().__init__(delays)
        self.bad_page = broken
        self.error = error
        self.failed = False

    async def download(self, url: str) -> str:
        if url != self.bad_page or self.failed:
            return await super().download(url)
        async with self.timeline.track(f"download {url}"):
            await asyncio.sleep(self.delays[url])
            self.failed = True
            raise self.error


# A page that cannot be read, network trouble, a download that timed out and a missing
# page: an answer that raises only the errors of some kinds (OSError, say) and hands the
# rest back as pages fails one of them.
ERRORS = {
    "malformed": lambda: ValueError("b sent a malformed page"),
    "unreachable": lambda: ConnectionError("b is unreachable"),
    "timed_out": lambda: TimeoutError("b took too long"),
    "missing": lambda: KeyError("b"),
}


@pytest.mark.parametrize("kind", list(ERRORS))
@pytest.mark.parametrize("fails_after", [0.5, 2.45], ids=["fails_first", "fails_last"])
async def test_a_failed_download_raises_its_error(exercise, fails_after, kind):
    broken = ERRORS[kind]()
    network = NetworkWithOneBadPage({"a": 1.37, "b": fails_after, "c": 1.37}, "b", broken)
    error = await error_from(exercise.fetch_all(["a", "b", "c"], network.download))
    # The task does not ask for the other downloads to be cancelled (gather leaves them
    # running), so they are given the time to finish before the test ends.
    await asyncio.sleep(1.37)
    assert is_or_holds_only(error, broken), network.timeline.explain(
        f"With the download of 'b' failing after {fails_after:g} s with {broken!r} (the "
        f"others take 1.37 s), fetch_all(['a', 'b', 'c']) {outcome(error)}; expected it to "
        "raise that very error object (or a TaskGroup's ExceptionGroup holding only it).",
        advice(error, broken),
    )
    downloads = network.timeline.labels()
    assert downloads.count("download b") == 1, network.timeline.explain(
        f"fetch_all(['a', 'b', 'c']) raised the error of 'b', but downloaded 'b' "
        f"{downloads.count('download b')} times; expected once.",
        "The task asks for each url to be downloaded once: when a download fails, raise its "
        "error instead of trying again.",
    )


def advice(error: BaseException | None, broken: Exception) -> str:
    """A nudge toward what went wrong with the error `broken`."""
    if error is None:
        return (
            "A failed download must reach the caller, whatever the kind of its error, not be "
            "swallowed, returned as a page or hidden by trying again: with "
            "return_exceptions=True, gather hands errors back in the list, of every type, "
            "and each of them still has to be raised."
        )
    if not isinstance(error, BaseExceptionGroup) and type(error) is type(broken):
        return (
            "That is a new error made to look like the download's own. Raise the very "
            "object (gather already does: let it propagate)."
        )
    return (
        "A failed download must reach the caller, not be replaced, whether it fails "
        "before the others finish or after; a task's result() can only be read once it "
        "is done."
    )


async def error_from(call: Awaitable[object]) -> BaseException | None:
    """What `call` raises (an error or an ExceptionGroup, a TaskGroup's), or None."""
    try:
        await call
    except (Exception, BaseExceptionGroup) as raised:
        return raised
    return None


def is_or_holds_only(error: BaseException | None, expected: Exception) -> bool:
    """Whether `error` is `expected` itself, or a group holding it and nothing else."""
    if isinstance(error, BaseExceptionGroup):
        return all(is_or_holds_only(inner, expected) for inner in error.exceptions)
    return error is expected


def outcome(error: BaseException | None) -> str:
    return "returned normally" if error is None else f"raised {error!r}"


async def test_the_same_url_twice_gets_its_page_in_both_places(exercise):
    network = FakeNetwork({"a": 1.3, "b": 0.25})
    pages = await exercise.fetch_all(["a", "b", "a"], network.download)
    assert pages == ["a!", "b!", "a!"], (
        f"fetch_all(['a', 'b', 'a']) returned {pages!r}; expected ['a!', 'b!', 'a!']. Each "
        "page belongs to its position in `urls`, and a url can be listed twice: keep the "
        "results by position (gather does), not by looking the url up with urls.index()."
    )
