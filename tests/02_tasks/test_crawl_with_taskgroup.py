"""Tests for exercises/02_tasks/crawl_with_taskgroup.py."""

import asyncio
from collections import Counter

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
