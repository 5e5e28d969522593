"""Tests for exercises/07_async_iteration/page_by_page.py."""

import asyncio

import pytest


class FakeListing:
    """Serves pages after 0.25 s each (1.3 s for page 2), recording which pages were fetched."""

    def __init__(self, pages: list[list[str]], broken: int = 0) -> None:
        self.pages = pages
        self.broken = broken
        self.fetched: list[int] = []

    async def fetch_page(self, number: int) -> list[str]:
        self.fetched.append(number)
        await asyncio.sleep(1.3 if number == 2 else 0.25)
        if number == self.broken:
            raise ConnectionError(f"page {number} is unreachable")
        return list(self.pages[number - 1]) if 1 <= number <= len(self.pages) else []


async def test_every_item_comes_out_in_order_and_it_stops_at_the_empty_page(exercise, clock):
    # Repeats within a page and across pages, and pages not in sorted order.
    listing = FakeListing([["b", "a", "b"], ["c"], ["c", "e", "d", "e"], [], ["never"]])
    items = [item async for item in exercise.all_items(listing.fetch_page)]
    expected = ["b", "a", "b", "c", "c", "e", "d", "e"]
    assert items == expected, (
        f"all_items over pages [b, a, b], [c], [c, e, d, e], [] yielded {items!r}; expected "
        f"{expected!r}: each item on its own, in the order of its page, repeats included "
        "(within a page too): no set() or dict.fromkeys() on the way."
    )
    assert listing.fetched == [1, 2, 3, 4], (
        f"all_items fetched pages {listing.fetched}; expected [1, 2, 3, 4]: stop at the "
        "first empty page, and fetch nothing after it."
    )


async def test_the_first_item_arrives_with_page_one_and_page_two_only_when_asked(exercise, clock):
    listing = FakeListing([["a", "b"], ["c"]])
    arrivals = []
    async for item in exercise.all_items(listing.fetch_page):
        arrivals.append((item, clock.now, list(listing.fetched)))
    assert arrivals == [
        ("a", 0.25, [1]),
        ("b", 0.25, [1]),
        ("c", 1.55, [1, 2]),
    ], (
        f"(item, time, pages fetched so far) went {arrivals}; expected a and b at t=0.25 s "
        "with only page 1 fetched, then c at t=1.55 s. Yield each page's items as soon as "
        "the page arrives, and fetch the next page only after them."
    )


@pytest.mark.parametrize("afterwards", [0, 2.41], ids=["ends at once", "then waits 2.41 s"])
@pytest.mark.parametrize("wanted", [1, 2])
async def test_a_consumer_that_stops_within_page_one_costs_one_fetch(
    exercise, clock, wanted, afterwards
):
    listing = FakeListing([["a", "b"], ["c"], ["d"]])
    got = []
    async for item in exercise.all_items(listing.fetch_page):
        got.append(item)
        if len(got) == wanted:
            break
    stopped_at = clock.now
    # A fetch started in the background shows only once the consumer lets the loop run.
    await asyncio.sleep(afterwards)
    assert got == ["a", "b"][:wanted]
    assert listing.fetched == [1], (
        f"A consumer took {wanted} item(s) of page 1 and stopped"
        f"{f', then waited {afterwards} s' if afterwards else ''}; all_items had fetched "
        f"pages {listing.fetched}. Expected only page 1: fetch a page when the consumer "
        "asks for an item past the last page, not ahead of time (not in a task either)."
    )
    assert stopped_at == 0.25, f"Taking {wanted} item(s) of page 1 took {stopped_at:g} s, not 0.25."


async def test_an_empty_listing_yields_nothing_after_one_fetch(exercise, clock):
    listing = FakeListing([])
    items = [item async for item in exercise.all_items(listing.fetch_page)]
    assert (items, listing.fetched) == ([], [1]), (
        f"all_items over an empty listing yielded {items!r} after fetching pages "
        f"{listing.fetched}; expected nothing, after fetching page 1 only."
    )


async def test_a_failing_fetch_raises_after_the_items_before_it(exercise, clock):
    listing = FakeListing([["a"], ["b"], ["c"]], broken=2)
    got = []

    async def consume() -> None:
        async for item in exercise.all_items(listing.fetch_page):
            got.append((item, clock.now))

    with pytest.raises(ConnectionError, match="page 2 is unreachable"):
        await consume()
    assert got == [("a", 0.25)], (
        f"With page 2 failing, the consumer got {got} before the error; expected 'a' at "
        "t=0.25 s, then page 2's ConnectionError."
    )
    assert clock.now == 1.55, f"The error came at t={clock.now:g} s; expected t=1.55 s."
