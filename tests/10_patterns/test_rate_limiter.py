"""Tests for exercises/10_patterns/rate_limiter.py.

Each request arrives at a set moment, enters `async with limiter:` and runs for a set
time; the tests compare the moments the requests got in with the ones the rate allows.
Times are rounded to the microsecond, the virtual clock's resolution.
"""

import asyncio

import pytest

from grader.inside.testing import Starter, Timeline, cancel_at_each_suspension


class Requests:
    """Requests through one limiter, recording when each arrived and when it got in."""

    def __init__(self, limiter: object) -> None:
        self.limiter = limiter
        self.timeline = Timeline()
        self.arrived: list[str] = []
        self.started: dict[str, float] = {}

    async def request(self, label: str, arrive_at: float = 0, seconds: float = 0.25) -> None:
        await asyncio.sleep(arrive_at)
        self.arrived.append(label)
        async with self.limiter:  # type: ignore[attr-defined]
            self.started[label] = round(asyncio.get_running_loop().time(), 6)
            async with self.timeline.track(label):
                await asyncio.sleep(seconds)

    def explain(
        self, expected: dict[str, float], rate: int, per: float, hint: str | None = None
    ) -> str:
        """The timeline, and a hint chosen by what went wrong (or the one given)."""
        return self.timeline.explain(
            f"With {rate} request{'s' * (rate != 1)} allowed per {per:g} s, the requests "
            f"started at {self.started}; expected {expected}.",
            hint or self._crowded(rate, per) or self._overtaken() or self._late(per),
        )

    def _crowded(self, rate: int, per: float) -> str:
        """A hint if more than `rate` requests started within `per` seconds."""
        starts = sorted(self.started.values())
        for first, last in zip(starts, starts[rate:], strict=False):
            if last - first < per - 1e-9:
                when = (
                    f"at t={first:g} s"
                    if first == last
                    else (f"between t={first:g} s and t={last:g} s")
                )
                return (
                    f"{rate + 1} requests started {when}, within {per:g} s; at most {rate} "
                    "may. A permission comes back "
                    f"{per:g} s after it was taken, not at the start of a new window nor "
                    "when its request ends."
                )
        return ""

    def _overtaken(self) -> str:
        """A hint if a request got in before one that had arrived earlier and was waiting."""
        got_in = [label for label in self.arrived if label in self.started]
        for n, earlier in enumerate(got_in):
            for later in got_in[n + 1 :]:
                if self.started[later] < self.started[earlier]:
                    return (
                        f"{later!r} got in at t={self.started[later]:g} s, ahead of "
                        f"{earlier!r}, which had arrived before it and got in only at "
                        f"t={self.started[earlier]:g} s. Waiting requests start in the order "
                        "they arrived: hand a permission that comes back to the request "
                        "that has waited longest, so a newcomer cannot take it first "
                        "(asyncio.Semaphore is fair; a Queue.get() can be overtaken)."
                    )
        return ""

    def _late(self, per: float) -> str:
        return (
            f"A permission must come back {per:g} s after it was taken, not when its "
            "request ends: schedule its release when you take it (loop.call_at or "
            "loop.call_later)."
        )

    async def all_given_back(self, per: float) -> None:
        """Wait until the last permission taken has come back, so no release is left over."""
        last = max(self.started.values(), default=0)
        await asyncio.sleep(max(0, last + per - asyncio.get_running_loop().time()))


async def run_all(*requests: object) -> None:
    async with asyncio.TaskGroup() as group:
        for request in requests:
            group.create_task(request)  # type: ignore[arg-type]


async def test_seven_requests_at_once_start_three_per_window(exercise):
    requests = Requests(exercise.RateLimiter(3, 2.5))
    await run_all(*(requests.request(f"r{n}") for n in range(7)))
    expected = {"r0": 0, "r1": 0, "r2": 0, "r3": 2.5, "r4": 2.5, "r5": 2.5, "r6": 5.0}
    assert requests.started == expected, requests.explain(expected, 3, 2.5)
    await requests.all_given_back(2.5)


async def test_a_slow_request_does_not_hold_its_permission(exercise):
    requests = Requests(exercise.RateLimiter(2, 1.3))
    await run_all(*(requests.request(f"r{n}", seconds=4) for n in range(5)))
    expected = {"r0": 0, "r1": 0, "r2": 1.3, "r3": 1.3, "r4": 2.6}
    assert requests.started == expected, requests.explain(expected, 2, 1.3)
    await requests.all_given_back(1.3)


async def test_irregular_arrivals_wait_for_the_oldest_permission(exercise):
    # Permissions come back 1.3 s after they were taken: at 1.3, 1.55, 2.6 and 2.85 s.
    requests = Requests(exercise.RateLimiter(2, 1.3))
    arrivals = {"a": 0, "b": 0.25, "c": 1.0, "d": 1.3, "e": 2.5, "f": 2.6}
    await run_all(*(requests.request(label, at) for label, at in arrivals.items()))
    expected = {"a": 0, "b": 0.25, "c": 1.3, "d": 1.55, "e": 2.6, "f": 2.85}
    assert requests.started == expected, requests.explain(expected, 2, 1.3)
    await requests.all_given_back(1.3)


async def test_a_request_that_fails_still_uses_up_its_permission(exercise):
    limiter = exercise.RateLimiter(1, 2.5)
    with pytest.raises(OSError, match="refused"):
        async with limiter:
            raise OSError("refused")
    requests = Requests(limiter)
    await requests.request("retry")
    given_back_early = (
        "A request that raised used up its permission all the same: it comes back 2.5 s "
        "after it was taken, however the request ends. Do not give it back in __aexit__."
    )
    early = requests.started.get("retry", 2.5) < 2.5
    assert requests.started == {"retry": 2.5}, requests.explain(
        {"retry": 2.5}, 1, 2.5, given_back_early if early else None
    )
    await requests.all_given_back(2.5)


async def test_a_request_cancelled_at_any_await_gives_back_only_what_it_took(exercise):
    async def three_requests_one_per_2_5_seconds(start: Starter) -> dict[str, float]:
        requests = Requests(exercise.RateLimiter(1, 2.5))
        began = asyncio.get_running_loop().time()
        first = asyncio.create_task(requests.request("a"))
        await asyncio.sleep(0)
        cancelled = start(requests.request("b", seconds=1))
        await asyncio.sleep(0)
        last = asyncio.create_task(requests.request("c"))
        await asyncio.wait([first, cancelled, last], timeout=30)
        await requests.all_given_back(2.5)
        return {label: round(at - began, 6) for label, at in requests.started.items()}

    for run in await cancel_at_each_suspension(three_requests_one_per_2_5_seconds):
        started = run.state
        # "c" gets in 2.5 s after "b" did, or at 2.5 s if "b" never got in.
        expected = {"a": 0, "b": 2.5, "c": 5.0} if "b" in started else {"a": 0, "c": 2.5}
        assert (run.ended_cancelled, started) == (True, expected), (
            f"With 1 request per 2.5 s, a second request was {run.describe()}, and it "
            f"{run.ended}; the requests started at {started}, expected {expected}. A "
            "request cancelled while it waits took no permission and must not give one "
            "back; one that got in keeps its permission for the full 2.5 s."
            + (
                " One cancelled in the same instant a permission was handed to it must pass "
                "that permission on to the next waiter (or keep it, as if it got in), not "
                "drop it: asyncio.Semaphore does this for you."
                if run.woken
                else ""
            )
        )
