"""Tests for exercises/02_tasks/crawl_with_taskgroup.py."""

import asyncio
from collections import Counter

import pytest

from grader.inside.testing import Starter, Timeline, cancel_at_each_suspension


class FakeWeb:
    """Pages with links and a fetch delay each; records every fetch on a timeline."""

    def __init__(self, pages: dict[str, tuple[float, list[str]]], broken: str = "") -> None:
        self.pages = pages
        self.broken = broken
        self.timeline = Timeline()
        self.errors: list[ConnectionError] = []

    async def fetch_links(self, url: str) -> list[str]:
        delay, links = self.pages[url]
        async with self.timeline.track(url):
            await asyncio.sleep(delay)
            if url == self.broken:
                self.errors.append(ConnectionError(f"{url} is unreachable"))
                raise self.errors[-1]
            return links

    def fetched(self) -> Counter[str]:
        return Counter(self.timeline.labels())

    def span(self, url: str):
        (span,) = (span for span in self.timeline.spans if span.label == url)
        return span


async def test_pages_within_depth_are_each_fetched_once(exercise):
    web = FakeWeb(
        {
            "home": (1, ["a", "b"]),
            "a": (1, ["c", "home"]),
            "b": (1, ["c"]),
            "c": (1, ["d"]),
            "d": (1, []),
        }
    )
    result = await exercise.crawl("home", web.fetch_links, 2)
    assert result == {"home", "a", "b", "c"}, (
        f"crawl('home', depth=2) returned {result!r}; expected {{'home', 'a', 'b', 'c'}}: "
        "home is level 0, a and b level 1, c level 2. The links on c (level 2 = depth) are "
        "not followed, so d is not fetched."
    )
    twice = sorted(url for url, count in web.fetched().items() if count > 1)
    assert not twice, web.timeline.explain(
        f"crawl fetched {twice} more than once; every url must be fetched at most once.",
        "Both a and b link to c, and a links back to home. Record a url as taken when you "
        "start its fetch (before any await), not when the fetch is done.",
    )
    assert set(web.fetched()) == result, web.timeline.explain(
        f"crawl returned {sorted(result)} but fetched {sorted(web.fetched())}.",
        "Return exactly the urls you fetched.",
    )


# The same url again and again: twice on one page, on a page and the page it links to, and
# pages that link back to themselves or to the start page.
@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ({"home": (1, ["c", "c"]), "c": (1, [])}, {"home", "c"}),
        (
            {
                "home": (1, ["a", "a", "b", "home"]),
                "a": (1.3, ["b", "b", "home"]),
                "b": (0.25, ["b", "a", "c", "c"]),
                "c": (1, []),
            },
            {"home", "a", "b", "c"},
        ),
    ],
    ids=["twice-on-one-page", "again-and-again"],
)
async def test_a_url_linked_again_and_again_is_fetched_once(exercise, pages, expected):
    web = FakeWeb(pages)
    result = await exercise.crawl("home", web.fetch_links, 2)
    twice = sorted(url for url, count in web.fetched().items() if count > 1)
    assert (result, twice) == (expected, []), web.timeline.explain(
        f"With the pages {pages!r}, crawl('home', depth=2) returned {result!r} and fetched "
        f"{twice or 'nothing'} more than once; expected {expected!r}, each fetched once.",
        "A url listed twice on one page, or by several pages, is still one page: claim each "
        "link as you start its task, one link at a time, checking the claimed urls first.",
    )


# A url keeps the level it was claimed at: a shorter way to it found later changes nothing,
# and a url seen only on a page at level `depth` is not claimed, so a later page can claim it.
@pytest.mark.parametrize(
    ("depth", "pages", "expected", "why"),
    [
        (
            3,
            {
                "home": (1, ["slow", "f1"]),
                "slow": (5.37, ["u"]),
                "f1": (1, ["f2"]),
                "f2": (1, ["u"]),
                "u": (1, ["v"]),
                "v": (1, []),
            },
            {"home", "slow", "f1", "f2", "u"},
            "u was claimed at level 3 when f2 (level 2) arrived at t=3 s; that 'slow' (level "
            "1) links to it too, at t=6.37 s, changes nothing, so the links on u (level 3 = "
            "depth) are not followed and v is not fetched",
        ),
        (
            2,
            {
                "home": (1, ["a", "slow"]),
                "a": (1, ["b"]),
                "b": (1, ["x"]),
                "slow": (5.37, ["x"]),
                "x": (1, []),
            },
            {"home", "a", "b", "slow", "x"},
            "b (level 2 = depth) arrived at t=3 s, and its links are not followed, so x was "
            "not claimed then; 'slow' (level 1) links to it at t=6.37 s, so x is claimed at "
            "level 2 and fetched",
        ),
    ],
    ids=["shorter-way-found-later", "seen-first-beyond-depth"],
)
async def test_a_url_keeps_the_level_it_was_claimed_at(exercise, depth, pages, expected, why):
    web = FakeWeb(pages)
    result = await exercise.crawl("home", web.fetch_links, depth)
    assert (result, set(web.fetched())) == (expected, expected), web.timeline.explain(
        f"crawl('home', depth={depth}) returned {result!r} after fetching "
        f"{sorted(web.fetched())}; expected {expected!r}: {why}.",
        "A link is claimed when a page below level `depth` that links to it arrives, at one "
        "level more than that page, and keeps that level.",
    )


async def test_depth_zero_fetches_only_the_start_page(exercise):
    web = FakeWeb({"home": (1, ["a"]), "a": (1, [])})
    result = await exercise.crawl("home", web.fetch_links, 0)
    assert (result, web.timeline.labels()) == ({"home"}, ["home"]), (
        f"crawl('home', depth=0) returned {result!r} after fetching {web.timeline.labels()}; "
        "expected {'home'}, fetching only home: its links are at level 1."
    )


async def test_links_are_fetched_as_soon_as_their_page_arrives(exercise, clock):
    web = FakeWeb(
        {
            "home": (1, ["fast", "slow"]),
            "fast": (1, ["deep"]),
            "slow": (3540.3, []),
            "deep": (1, []),
        }
    )
    try:
        result: object = await exercise.crawl("home", web.fetch_links, 2)
    except Exception as error:  # e.g. a guessed timeout on the 3540.3 s fetch
        result = error
    assert result == {"home", "fast", "slow", "deep"}, web.timeline.explain(
        f"crawl('home', depth=2) gave {result!r}; expected {{'home', 'fast', 'slow', 'deep'}}.",
        "Wait for every fetch, however long it takes ('slow' takes 3540.3 s): the task sets "
        "no timeout to guess.",
    )
    started = web.span("deep").start
    assert (started, clock.now) == (2, 3541.3), web.timeline.explain(
        f"'deep' was fetched from t={started:g} s and crawl returned at t={clock.now:g} s; "
        "expected 'deep' to start at t=2 s, as soon as 'fast' (which links to it) arrived, "
        "and crawl to return at t=3541.3 s, when 'slow' (3540.3 s) is done.",
        "Don't wait for a whole level: give each page its own task in one TaskGroup, and "
        "let that task start a task for each new link it finds (group.create_task(...)).",
    )


async def test_a_failed_fetch_cancels_the_others_and_raises_an_exception_group(exercise, clock):
    web = FakeWeb(
        {"home": (1, ["bad", "slow"]), "bad": (1, []), "slow": (5, [])},
        broken="bad",
    )
    expected_message = await the_message_of_a_taskgroup_s_group()
    try:
        result = await exercise.crawl("home", web.fetch_links, 1)
    except ExceptionGroup as group:
        got = f"raised {group!r}"
        holds_the_error = len(group.exceptions) == 1 and group.exceptions[0] is web.errors[0]
        ok = holds_the_error and group.message == expected_message
    except Exception as error:
        got, ok = f"raised {error!r}", False
    else:
        got, ok = f"returned {result!r}", False
    assert ok, web.timeline.explain(
        f"With 'bad' failing, crawl('home', depth=1) {got}; expected the ExceptionGroup the "
        f"TaskGroup raises ({expected_message!r}), holding the very error the fetch raised, "
        "ConnectionError('bad is unreachable'), and nothing else.",
        "Fetch inside `async with asyncio.TaskGroup() as group:` and let the error escape "
        "the fetch's task: the group cancels the other tasks and raises an ExceptionGroup. "
        "Let that group out of crawl as it is, not a new one built from it.",
    )
    slow = web.span("slow")
    assert (slow.outcome, slow.end) == ("cancelled", 2), web.timeline.explain(
        f"When 'bad' failed at t=2 s, the fetch of 'slow' was not cancelled: it ended "
        f"{'at t=' + format(slow.end, 'g') + ' s' if slow.end is not None else 'never'} "
        f"({slow.outcome}).",
        "In a TaskGroup, a task that fails cancels every other task of the group, and the "
        "group waits for them before it raises.",
    )
    assert clock.now == 2, web.timeline.explain(
        f"crawl raised at t={clock.now:g} s; expected t=2 s, as soon as 'bad' failed.",
        "Cancel the other fetches instead of waiting for them to finish.",
    )


# The start page, a page at level 1 and one at level 2: whichever fails, crawl raises the
# one ExceptionGroup of the one TaskGroup, holding that fetch's error.
@pytest.mark.parametrize(("broken", "fails_at"), [("home", 1), ("a", 2), ("b", 3)])
async def test_whichever_page_fails_crawl_raises_the_group_holding_its_error(
    exercise, clock, broken, fails_at
):
    web = FakeWeb(
        {"home": (1, ["a", "slow"]), "a": (1, ["b"]), "b": (1, []), "slow": (5.37, [])},
        broken=broken,
    )
    expected_message = await the_message_of_a_taskgroup_s_group()
    try:
        result = await exercise.crawl("home", web.fetch_links, 2)
    except ExceptionGroup as group:
        got = f"raised {group!r}"
        holds_the_error = len(group.exceptions) == 1 and group.exceptions[0] is web.errors[0]
        ok = holds_the_error and group.message == expected_message
    except Exception as error:
        got, ok = f"raised {error!r}", False
    else:
        got, ok = f"returned {result!r}", False
    assert ok, web.timeline.explain(
        f"With {broken!r} failing, crawl('home', depth=2) {got}; expected the ExceptionGroup "
        f"the TaskGroup raises ({expected_message!r}), holding the very error the fetch "
        f"raised, ConnectionError('{broken} is unreachable'), and nothing else.",
        "Fetch every page, the start page too, in a task of one TaskGroup, opened once for "
        "the whole crawl: a fetch outside the group raises its bare error, and a group per "
        "page wraps the error in groups within groups.",
    )
    running = [span.label for span in web.timeline.spans if span.end is None]
    assert (running, clock.now) == ([], fails_at), web.timeline.explain(
        f"With {broken!r} failing at t={fails_at:g} s, crawl raised at t={clock.now:g} s "
        f"with the fetches of {running or 'nothing'} still running; expected it to raise at "
        f"t={fails_at:g} s with nothing left running.",
        "In a TaskGroup, a task that fails cancels every other task of the group, and the "
        "group waits for them before it raises.",
    )


async def the_message_of_a_taskgroup_s_group() -> str:
    """What a TaskGroup's own ExceptionGroup says, on this Python."""

    async def fail() -> None:
        raise ConnectionError("bad is unreachable")

    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(fail())
    except ExceptionGroup as raised:
        return raised.message
    raise AssertionError("a TaskGroup whose task failed raised nothing")


async def test_cancelled_at_any_await_crawl_ends_cancelled_with_no_fetch_left_running(exercise):
    async def crawl_a_small_site(start: Starter) -> list[str]:
        web = FakeWeb(
            {
                "home": (0.25, ["a", "b"]),
                "a": (1.3, ["c"]),
                "b": (0.25, ["c", "home"]),
                "c": (2.5, []),
            }
        )
        before = asyncio.all_tasks()
        task = start(exercise.crawl("home", web.fetch_links, 2))
        await asyncio.wait({task}, timeout=10)
        running = [span.label for span in web.timeline.spans if span.end is None]
        leftovers = asyncio.all_tasks() - before - {task}
        for leftover in leftovers:
            leftover.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)
        return running

    for run in await cancel_at_each_suspension(crawl_a_small_site):
        assert run.ended_cancelled, (
            f"crawl('home', depth=2) was {run.describe()}, and it {run.ended}; expected it "
            "to end cancelled."
        )
        assert not run.state, (
            f"crawl('home', depth=2) was {run.describe()}; when it ended, the fetches of "
            f"{run.state} were still running. Tasks you start yourself and wait for with "
            "asyncio.wait keep running when you are cancelled; tasks in a TaskGroup are "
            "cancelled with it, and the group waits for them."
        )
