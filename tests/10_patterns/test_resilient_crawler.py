"""Tests for exercises/10_patterns/resilient_crawler.py.

The site is a fake: each url has a list of links and a script of how each attempt to
fetch it goes: a number of seconds to answer after, "hang" (never answers), or an
exception to raise after 0.25 s. Urls without a script answer after 1 s every time.
"""

import asyncio
import errno
import socket
from typing import Any

import pytest

from grader.inside.testing import Starter, Timeline, cancel_at_each_suspension

HANG = "hang"


class FakeSite:
    """Pages, their links, and a script of how each attempt to fetch them goes."""

    def __init__(
        self, links: dict[str, list[str]], scripts: dict[str, list[Any]] | None = None
    ) -> None:
        self.links = links
        self.scripts = scripts or {}
        self.timeline = Timeline()
        self.calls: dict[str, int] = {}

    async def fetch(self, url: str) -> tuple[str, list[str]]:
        attempt = self.calls.get(url, 0)
        self.calls[url] = attempt + 1
        script = self.scripts.get(url, [])
        step = script[min(attempt, len(script) - 1)] if script else 1
        async with self.timeline.track(f"{url} #{attempt + 1}"):
            if step == HANG:
                await asyncio.Event().wait()
            if isinstance(step, Exception):
                await asyncio.sleep(0.25)
                raise step
            await asyncio.sleep(step)
            return f"<{url}>", list(self.links.get(url, []))

    def still_running(self) -> list[str]:
        return [span.label for span in self.timeline.spans if span.end is None]


async def crawl(exercise: Any, site: FakeSite, **options: Any) -> Any:
    settings = {"limit": 10, "fetch_timeout": 60, "attempts": 3, **options}
    return await exercise.crawl("home", site.fetch, **settings)


def failures(group: BaseExceptionGroup[Any]) -> list[BaseException]:
    return list(group.exceptions)


def attempts_of(site: FakeSite, url: str) -> list[tuple[float, float | None, str]]:
    """(start, end, outcome) of each attempt to fetch `url`, rounded to the microsecond."""
    return [
        (round(span.start, 6), None if span.end is None else round(span.end, 6), span.outcome)
        for span in site.timeline.spans
        if span.label.startswith(f"{url} #")
    ]


def group_message(group: BaseExceptionGroup[Any], failed: int) -> str:
    """Why the group's message is wrong, or '' when it reads '<failed> pages failed'."""
    expected = f"{failed} pages failed"
    if group.message == expected:
        return ""
    return (
        f"crawl raised an ExceptionGroup with the message {group.message!r}; expected {expected!r}."
    )


async def test_every_reachable_page_is_fetched_exactly_once(exercise, clock):
    site = FakeSite(
        {"home": ["a", "b", "a"], "a": ["b", "home", "c"], "b": ["c", "c"], "c": ["home"]}
    )
    pages = await crawl(exercise, site)
    expected = {url: f"<{url}>" for url in ("home", "a", "b", "c")}
    assert pages == expected, f"crawl returned {pages!r}; expected {expected!r}."
    assert site.calls == dict.fromkeys(expected, 1), site.timeline.explain(
        f"The pages were fetched this many times: {site.calls}; expected each once, even "
        "though several pages link to the same url (and back home).",
        "Mark a url as seen when you start its fetch, not when the fetch is done.",
    )
    assert clock.now == 3, site.timeline.explain(
        f"The crawl took {clock.now:g} s; expected 3 s: home, then a and b side by side, then c.",
        "Fetch the links of every page at the same time (tasks in one TaskGroup).",
    )


async def test_a_link_is_followed_as_soon_as_its_page_arrives(exercise, clock):
    # "slow" takes 4 s; "quick" (0.25 s) links to "next" (1.3 s), which need not wait for it.
    site = FakeSite(
        {"home": ["slow", "quick"], "quick": ["next"]},
        {"slow": [4], "quick": [0.25], "next": [1.3]},
    )
    await crawl(exercise, site)
    assert clock.now == 5, site.timeline.explain(
        f"The crawl took {clock.now:g} s; expected 5 s (1 s for home, then 4 s for slow, "
        "while quick and next finish by t=2.55 s).",
        "Start each link's fetch when its own page arrives; waiting for a whole level of "
        "pages before the next holds the fast branches behind the slowest page.",
    )


async def test_never_more_than_limit_fetches_at_once_and_waiting_is_not_timed(exercise, clock):
    site = FakeSite({"home": [f"p{n}" for n in range(6)]}, {f"p{n}": [1.3] for n in range(6)})
    pages = await crawl(exercise, site, limit=2, fetch_timeout=2.5)
    when, most = site.timeline.busiest_moment()
    assert most <= 2, site.timeline.explain(
        f"{most} fetches ran at once at t={when:g} s; expected at most 2 (limit=2).",
        "Hold one slot of a single asyncio.BoundedSemaphore(limit) around each fetch.",
    )
    assert len(pages) == 7, site.timeline.explain(
        f"crawl returned {len(pages)} pages; expected all 7. The last pages waited 2.6 s "
        "for a slot, longer than the 2.5 s timeout, but a fetch's timeout only starts "
        "once it holds a slot.",
        "Take the slot first, then start the timeout: `async with slots, asyncio.timeout(...)`.",
    )
    assert clock.now == 1 + 3 * 1.3, site.timeline.explain(
        f"The crawl took {clock.now:g} s; expected {1 + 3 * 1.3:g} s (home, then six "
        "1.3 s pages two at a time).",
        "A slot that frees up must go to a waiting page at once.",
    )


async def test_a_hanging_fetch_is_cancelled_at_the_timeout_and_tried_again(exercise, clock):
    site = FakeSite({"home": ["stuck"]}, {"stuck": [HANG, 0.25]})
    pages = await crawl(exercise, site, fetch_timeout=2.5)
    assert pages == {"home": "<home>", "stuck": "<stuck>"}, (
        f"With the first fetch of 'stuck' hanging and the second answering in 0.25 s, crawl "
        f"returned {pages!r}; expected both pages."
    )
    outcomes = [(span.label, span.outcome, span.end) for span in site.timeline.spans]
    assert outcomes[1] == ("stuck #1", "cancelled", 3.5), site.timeline.explain(
        f"The first fetch of 'stuck' ended as {outcomes[1][1:]} (outcome, time); expected "
        "it cancelled at t=3.5 s, 2.5 s after it began.",
        "Wrap each call of fetch in `async with asyncio.timeout(fetch_timeout):`, which cancels "
        "it when time is up and raises TimeoutError for you to retry.",
    )
    assert clock.now == 3.75


async def test_a_page_that_keeps_failing_is_tried_attempts_times_then_reported(exercise):
    errors = [ConnectionError(f"reset #{n}") for n in (1, 2, 3)]
    # 'down' has given up by t=1.75 s; 'a' (done at 2 s) and 'b' (3 s) link to it after that.
    site = FakeSite(
        {"home": ["down", "a", "down"], "a": ["b", "down"], "b": ["down"]}, {"down": errors}
    )
    with pytest.raises(ExceptionGroup) as raised:
        await crawl(exercise, site, attempts=3)
    expected_calls = {"home": 1, "down": 3, "a": 1, "b": 1}
    if site.calls.get("down", 0) > 3:
        why = (
            ". 'down' was fetched again when a page linking to it arrived after it had "
            "failed: each url is fetched once, however that ends."
        )
        nudge = "Leave a url in `seen` once its fetch has started, even if it fails."
    else:
        why = ": one failed page must not stop the crawl."
        nudge = (
            "Catch the error of a page that gave up inside its own task, keep it, and raise "
            "them all together once the TaskGroup is done."
        )
    assert site.calls == expected_calls, site.timeline.explain(
        f"The pages were fetched this many times: {site.calls}; expected {expected_calls}: "
        f"'down' 3 times (attempts=3) and every other page once{why}",
        nudge,
    )
    assert failures(raised.value) == [errors[2]], (
        f"With every fetch of 'down' failing, crawl raised {raised.value!r} holding "
        f"{failures(raised.value)!r}; expected an ExceptionGroup holding just the last "
        f"attempt's error, {errors[2]!r}."
    )
    assert not group_message(raised.value, 1), group_message(raised.value, 1)
    down = attempts_of(site, "down")
    expected_down = [(1, 1.25, "raised"), (1.25, 1.5, "raised"), (1.5, 1.75, "raised")]
    assert down == expected_down, site.timeline.explain(
        f"The attempts to fetch 'down' ran as {down} (start, end, outcome); expected "
        f"{expected_down}: each ConnectionError retried at once.",
        "Retry straight away, without sleeping first: the task asks for no back-off.",
    )


# What 'flaky' raises once: a ConnectionError, one of its subclasses, or a fetch's own
# TimeoutError; each is retried, whatever its exact type.
@pytest.mark.parametrize(
    "flaky_error",
    [
        ConnectionError("reset"),
        ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"),
        TimeoutError("the server took too long"),
    ],
    ids=lambda error: type(error).__name__,
)
async def test_only_network_errors_and_timeouts_are_retried(exercise, flaky_error):
    bug = ValueError("malformed page")
    # An OSError, like ConnectionError and TimeoutError, but neither of them.
    unknown = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    site = FakeSite(
        {"home": ["broken", "unknown", "flaky", "slow"]},
        {
            "broken": [bug],
            "unknown": [unknown, 1],
            "flaky": [flaky_error, 1],
            "slow": [HANG, HANG],
        },
    )
    with pytest.raises(ExceptionGroup) as raised:
        await crawl(exercise, site, fetch_timeout=1.3, attempts=2)
    got = failures(raised.value)
    expected_calls = {"home": 1, "broken": 1, "unknown": 1, "flaky": 2, "slow": 2}
    assert site.calls == expected_calls, (
        f"The pages were fetched this many times: {site.calls}; expected {expected_calls}: "
        "'broken' (ValueError) and 'unknown' (socket.gaierror, a host name that does not "
        f"resolve) once, 'flaky' ({type(flaky_error).__name__}) and 'slow' (timed out) "
        "twice (attempts=2). ConnectionError and TimeoutError are retried, and so is each "
        "of their subclasses (`except (ConnectionError, TimeoutError)` catches them all, "
        "unlike comparing type(error)); catching OSError, their common base class, retries "
        "every other OSError too."
    )
    assert len(got) == 3, f"crawl raised {raised.value!r}; expected three failed pages."
    assert not group_message(raised.value, 3), group_message(raised.value, 3)
    retried = {url: attempts_of(site, url) for url in ("flaky", "slow")}
    expected_retries = {
        "flaky": [(1, 1.25, "raised"), (1.25, 2.25, "done")],
        "slow": [(1, 2.3, "cancelled"), (2.3, 3.6, "cancelled")],
    }
    assert retried == expected_retries, site.timeline.explain(
        f"The attempts ran as {retried} (start, end, outcome); expected {expected_retries}: "
        "a failed attempt is tried again at once, and every attempt gets the same "
        "fetch_timeout=1.3 s.",
        "Retry straight away, with a fresh `asyncio.timeout(fetch_timeout)` around each call.",
    )
    assert bug in got, f"crawl raised {got!r}; expected the ValueError itself among them."
    assert unknown in got, f"crawl raised {got!r}; expected the socket.gaierror itself among them."
    assert any(type(error) is TimeoutError for error in got), (
        f"crawl raised {got!r}; expected a TimeoutError for 'slow', whose two fetches hung."
    )


async def test_cancelling_the_crawl_at_any_await_cancels_every_fetch(exercise):
    async def crawl_a_small_site(start: Starter) -> FakeSite:
        site = FakeSite({"home": ["a", "b"], "a": ["c"]}, {"a": [0.25], "b": [HANG], "c": [2]})
        task = start(crawl(exercise, site, fetch_timeout=5, attempts=2))
        await asyncio.wait({task}, timeout=30)
        return site

    for run in await cancel_at_each_suspension(crawl_a_small_site):
        site = run.state
        assert run.ended_cancelled, site.timeline.explain(
            f"crawl was {run.describe()}, and it {run.ended}; expected it to end cancelled.",
            "Don't catch asyncio.CancelledError around a fetch: it is not a failed page.",
        )
        assert not site.still_running(), site.timeline.explain(
            f"crawl was {run.describe()}; afterwards these fetches were still running: "
            f"{site.still_running()}.",
            "Run the fetches as tasks of a TaskGroup: cancelling the crawl cancels them all "
            "and waits for them.",
        )
