"""Tests for exercises/09_threads_processes/offload_blocking_call.py.

The weather client is a fake blocking library (see conftest.py): each forecast really
blocks the thread that asks for it, for a set stretch of the event loop's clock, and the
kit's blocking-call detector refuses it on the loop's own thread. So an answer that calls
it directly fails with a message naming the call, and the timing checks below only ever
see calls that ran in worker threads.
"""

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

ADVICE = (
    "client.forecast() waits for the weather service; run it in a worker thread with "
    "`await asyncio.to_thread(client.forecast, city)` or loop.run_in_executor(...)"
)


class Client:
    """The blocking weather client: city -> (seconds the call blocks, answer)."""

    def __init__(self, library: Any, answers: dict[str, tuple[float, str | Exception]]) -> None:
        self.asked: list[str] = []

        def work(city: str) -> tuple[str, float, Callable[[], str]]:
            self.asked.append(city)
            seconds, answer = answers[city]
            return f"forecast({city!r})", seconds, lambda: answer_or_raise(answer)

        self.forecast: Callable[[str], str] = library.blocking("client.forecast", ADVICE, work)


def answer_or_raise(answer: str | Exception) -> str:
    if isinstance(answer, Exception):
        raise answer
    return answer


class CountingPool(ThreadPoolExecutor):
    """A thread pool that remembers what was submitted to it."""

    def __init__(self) -> None:
        super().__init__(max_workers=16)
        self.submitted: list[tuple[Any, ...]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted.append(args)
        return super().submit(fn, *args, **kwargs)


@pytest.fixture
def pool(library: Any) -> Any:
    with CountingPool() as made:
        yield made
        library.release_all()  # the pool's threads must be free before it joins them


WEATHER: dict[str, tuple[float, str | Exception]] = {
    "Oslo": (1.3, "Oslo: rain"),
    "Lima": (0.25, "Lima: fog"),
    "Cairo": (2.5, "Cairo: sun"),
}


async def test_forecast_runs_in_a_thread_while_the_loop_keeps_going(exercise, library, clock):
    client = Client(library, WEATHER)
    beats: list[float] = []

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(0.6)
            beats.append(clock.now)

    ticking = asyncio.create_task(heartbeat())
    try:
        answer = await exercise.forecast(client, "Oslo")
    finally:
        ticking.cancel()
    assert answer == "Oslo: rain", (
        f"forecast(client, 'Oslo') returned {answer!r}; expected 'Oslo: rain', what "
        "client.forecast('Oslo') returned."
    )
    assert threading.get_ident() not in library.threads, "the call ran on the loop's thread"
    assert (clock.now, beats) == (1.3, [0.6, 1.2]), library.timeline.explain(
        f"forecast returned at t={clock.now:g} s and a heartbeat task ticked at {beats}; "
        "expected the answer at t=1.3 s, with ticks at 0.6 and 1.2 s meanwhile.",
        "While the worker thread blocks, the event loop must stay free to run other tasks.",
    )


# More cities than an answer that sends "a few at a time" would guess, and fewer than the
# pool's threads: all of them can run at once.
MANY_CITIES = {f"Town {n}": (0.25 + 0.13 * n, f"Town {n}: wind") for n in range(11)}


@pytest.mark.parametrize("weather", [WEATHER, MANY_CITIES], ids=["three_cities", "eleven_cities"])
async def test_forecasts_run_at_the_same_time_on_the_given_executor(
    exercise, library, pool, clock, weather
):
    client = Client(library, weather)
    cities = list(weather)
    answers = await exercise.forecasts(client, cities, pool)
    expected = [answer for _, answer in weather.values()]
    assert answers == expected, (
        f"forecasts(client, {cities}, executor) returned {answers!r}; expected {expected!r}, "
        "in the order of `cities`."
    )
    assert len(pool.submitted) == len(cities), (
        f"The executor you were given received {len(pool.submitted)} jobs; expected "
        f"{len(cities)}, one per city. Pass it to loop.run_in_executor(executor, "
        "client.forecast, city) rather than using asyncio's default threads."
    )
    slowest = max(seconds for seconds, _ in weather.values())
    assert clock.now == slowest, library.timeline.explain(
        f"Forecasts for {len(cities)} cities, the slowest taking {slowest:g} s, took "
        f"{clock.now:g} s together; expected {slowest:g} s, the slowest one.",
        "Submit every call to the executor before you wait for any of them, however many "
        "cities there are (collect the futures run_in_executor returns, then asyncio.gather "
        "them all at once).",
    )


async def test_the_same_city_twice_is_asked_twice_and_answered_twice(
    exercise, library, pool, clock
):
    client = Client(library, WEATHER)
    answers = await exercise.forecasts(client, ["Lima", "Lima"], pool)
    assert (answers, client.asked) == (["Lima: fog"] * 2, ["Lima"] * 2), (
        f"forecasts(client, ['Lima', 'Lima'], executor) returned {answers!r} after asking "
        f"for {client.asked}; expected two answers from two calls."
    )
    assert clock.now == 0.25


async def test_no_cities_means_no_forecasts_and_no_jobs(exercise, library, pool, clock):
    client = Client(library, WEATHER)
    answers = await exercise.forecasts(client, [], pool)
    assert (answers, pool.submitted, clock.now) == ([], [], 0), (
        f"forecasts(client, [], executor) returned {answers!r} after submitting "
        f"{len(pool.submitted)} jobs; expected [] at once, with nothing submitted."
    )


async def test_an_error_in_the_thread_is_raised_as_it_is(exercise, library, pool, clock):
    outage = ConnectionError("weather service down")
    client = Client(library, {**WEATHER, "Quito": (1.3, outage)})
    with pytest.raises(ConnectionError) as single:
        await exercise.forecast(client, "Quito")
    with pytest.raises(ConnectionError) as several:
        await exercise.forecasts(client, ["Lima", "Quito"], pool)
    assert (single.value, several.value) == (outage, outage), (
        f"With client.forecast('Quito') raising {outage!r}, forecast raised "
        f"{single.value!r} and forecasts raised {several.value!r}; expected that very "
        "error from both: awaiting the thread's job re-raises what the thread raised."
    )
    assert clock.now == 2.6


@pytest.mark.parametrize("cancel_at", [0, 0.25, 1.3])
async def test_cancelling_forecasts_stops_waiting_at_once(
    exercise, library, pool, clock, cancel_at
):
    client = Client(library, WEATHER)
    task = asyncio.create_task(exercise.forecasts(client, ["Oslo", "Lima", "Cairo"], pool))
    asyncio.get_running_loop().call_at(cancel_at, task.cancel)
    await asyncio.wait([task])
    assert (task.cancelled(), clock.now) == (True, cancel_at), (
        f"forecasts was cancelled at t={cancel_at:g} s and ended at t={clock.now:g} s, "
        f"{'cancelled' if task.cancelled() else 'not cancelled'}; expected it to end "
        "cancelled at once. A thread cannot be stopped, but nobody has to wait for it: "
        "let the CancelledError out."
    )


@pytest.mark.parametrize("cancel_at", [0, 0.25])
async def test_cancelling_forecast_stops_waiting_at_once(exercise, library, clock, cancel_at):
    client = Client(library, WEATHER)
    task = asyncio.create_task(exercise.forecast(client, "Oslo"))
    asyncio.get_running_loop().call_at(cancel_at, task.cancel)
    await asyncio.wait([task])
    ended_at = clock.now
    await library.finished()  # the abandoned thread runs out on its own
    assert (task.cancelled(), ended_at) == (True, cancel_at), (
        f"forecast(client, 'Oslo'), a 1.3 s call, was cancelled at t={cancel_at:g} s and "
        f"ended at t={ended_at:g} s, {'cancelled' if task.cancelled() else 'not cancelled'}; "
        "expected it to end cancelled at once. Its thread goes on alone; nobody has to "
        "wait for it."
    )
