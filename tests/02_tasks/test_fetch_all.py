"""Tests for exercises/02_tasks/fetch_all.py."""

import pytest

from grader.testing import FakeNetwork


async def test_pages_come_back_in_the_order_of_the_urls(exercise):
    network = FakeNetwork({"a": 3, "b": 1, "c": 2})
    pages = await exercise.fetch_all(["a", "b", "c"], network.download)
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


async def test_no_urls_means_no_pages(exercise, clock):
    network = FakeNetwork()
    assert await exercise.fetch_all([], network.download) == []
    assert clock.now == 0


async def test_a_failed_download_raises_its_error(exercise):
    network = FakeNetwork(broken="b")
    with pytest.raises(ConnectionError, match="b is unreachable"):
        await exercise.fetch_all(["a", "b", "c"], network.download)
