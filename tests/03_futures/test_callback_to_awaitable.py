"""Tests for exercises/03_futures/callback_to_awaitable.py.

The service calls back at irregular moments (1.234567 s, not 1.5 s): an answer that polls
every 0.1 s or 0.5 s wakes at a multiple of its interval, so it can't land on the callback's
moment by luck. The virtual clock counts in microseconds, so these times are exact. One
answer takes twenty minutes, longer than any "safety" timeout an answer might add, and one
query is asked twice at once, which catches futures looked up by the query.
"""

import asyncio
from collections.abc import Callable

import pytest

from grader.inside.testing import Span, Timeline

# What the service reports for the first, second and third request of the same query.
WEATHER = ["sunny", "cloudy", "rain"]


class FakeWeatherService:
    """A callback-style service: answers "<query>: <weather>" after a per-request delay.

    `delays` maps a query to its delay, or to one delay per request when the same query is
    sent more than once; the n-th request for a query reports the n-th of WEATHER. It calls
    back from the event loop (loop.call_later), never from inside `request`, and records
    each request on a timeline from the moment it was sent to the callback.
    """

    def __init__(
        self,
        delays: dict[str, float | list[float]],
        failing: str | None = None,
        error_type: type[Exception] = LookupError,
        answers: dict[str, str] | None = None,
    ) -> None:
        self.delays = delays
        self.failing = failing
        self.error_type = error_type  # what the failing query reports to on_error
        self.answers = answers or {}  # a query's answer text, instead of "<query>: <weather>"
        self.timeline = Timeline()
        self.errors_passed: list[Exception] = []  # each error handed to on_error
        self._sent: dict[str, int] = {}

    def request(
        self,
        query: str,
        on_done: Callable[[str], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        loop = asyncio.get_running_loop()
        n = self._sent[query] = self._sent.get(query, 0) + 1
        delay = self.delays[query]
        repeated = isinstance(delay, list)
        span = Span(f"request {query}" + (f" #{n}" if repeated else ""), loop.time())
        self.timeline.spans.append(span)

        def call_back() -> None:
            span.end = loop.time()
            if query == self.failing:
                span.outcome = "raised"
                error = self.error_type(f"no station knows {query!r}")
                self.errors_passed.append(error)
                on_error(error)
            else:
                span.outcome = "done"
                on_done(self.answers.get(query, f"{query}: {WEATHER[n - 1]}"))

        loop.call_later(delay[n - 1] if repeated else delay, call_back)


async def test_the_answer_arrives_the_moment_the_service_calls_back(exercise, clock):
    service = FakeWeatherService({"Oslo": 1.234567})
    async with service.timeline.track("ask Oslo"):
        answer = await exercise.ask("Oslo", service.request)
    assert answer == "Oslo: sunny", (
        f"await ask('Oslo', request) returned {answer!r}; expected 'Oslo: sunny', the value "
        "the service passed to on_done. Resolve a future with it and return `await future`."
    )
    assert clock.now == 1.234567, service.timeline.explain(
        f"ask('Oslo') returned at t={clock.now} s; the service called back at t=1.234567 s.",
        "Don't poll for the answer: let on_done resolve a future (future.set_result) and "
        "await that future, so your task wakes up exactly when the answer arrives.",
    )


# An empty answer is still an answer: only on_error means the query failed.
@pytest.mark.parametrize("text", ["", "0", "Reykjavik: snow"])
async def test_whatever_text_the_service_answers_is_returned(exercise, clock, text):
    service = FakeWeatherService({"Reykjavik": 1.618033}, answers={"Reykjavik": text})
    try:
        outcome = f"returned {await exercise.ask('Reykjavik', service.request)!r}"
    except Exception as error:
        outcome = f"raised {error!r}"
    assert outcome == f"returned {text!r}", (
        f"The service called on_done({text!r}), and ask('Reykjavik') {outcome}; expected it "
        f"to return {text!r}. Whether the query failed is told by which callback the service "
        "called, not by the answer's value: an empty or falsy answer is still an answer. "
        "future.set_result(answer) then `return await future` keeps the two apart."
    )


# The service may fail with any kind of exception: a subclass, an OSError, an unrelated one.
@pytest.mark.parametrize(
    "error_type", [LookupError, KeyError, ConnectionRefusedError, ValueError, RuntimeError]
)
async def test_an_error_from_the_service_is_raised_by_ask(exercise, clock, error_type):
    service = FakeWeatherService({"Atlantis": 2.718281}, failing="Atlantis", error_type=error_type)
    raised_error: Exception | None = None
    try:
        outcome = f"returned {await exercise.ask('Atlantis', service.request)!r}"
    except Exception as error:
        outcome, raised_error = f"raised {error!r}", error
    assert isinstance(raised_error, error_type), (
        f"The service called on_error({error_type.__name__}(...)), and ask('Atlantis') "
        f"{outcome}; expected it to raise that {error_type.__name__}. Every error the service "
        "reports is the caller's to see, whatever its type: hand it to the future "
        "(future.set_exception(error)) and let `await future` raise it, without catching "
        "some kinds on the way."
    )
    (error,) = service.errors_passed
    assert raised_error is error, (
        f"ask('Atlantis') raised {raised_error!r}; expected the very exception object the "
        f"service passed to on_error, {error!r}, not a new one made from its text. Hand it "
        "to the future as it is (future.set_exception(error)): awaiting the future raises it."
    )
    assert clock.now == 2.718281, (
        f"ask('Atlantis') raised at t={clock.now} s; the service reported the error at "
        "t=2.718281 s. Pass on_error a function that calls future.set_exception(error), and "
        "await the future rather than checking for the outcome now and then."
    )


async def test_three_questions_wait_together_and_each_gets_its_own_answer(exercise, clock):
    service = FakeWeatherService({"Oslo": 3.141593, "Lima": 1.414213, "Pune": 2.236067})
    returned_at: dict[str, float] = {}

    async def ask_and_note_the_time(city: str) -> str:
        answer: str = await exercise.ask(city, service.request)
        returned_at[city] = clock.now
        return answer

    answers = await asyncio.gather(*(ask_and_note_the_time(c) for c in ["Oslo", "Lima", "Pune"]))
    assert answers == ["Oslo: sunny", "Lima: sunny", "Pune: sunny"], (
        f"Three concurrent asks returned {answers!r}; expected ['Oslo: sunny', 'Lima: sunny', "
        "'Pune: sunny']. Each call to ask needs its own future, resolved by its own callbacks."
    )
    expected = {"Oslo": 3.141593, "Lima": 1.414213, "Pune": 2.236067}
    assert returned_at == expected, service.timeline.explain(
        f"The three asks returned at {returned_at}; expected each one the moment its own "
        f"answer arrived: {expected}.",
        "Each ask should await its own future; nothing else should hold it up.",
    )


async def test_a_slow_answer_is_waited_for_however_long_it_takes(exercise, clock):
    service = FakeWeatherService({"Ushuaia": 1234.567891})
    try:
        outcome = f"returned {await exercise.ask('Ushuaia', service.request)!r}"
    except Exception as error:
        outcome = f"raised {error!r}"
    assert (outcome, clock.now) == ("returned 'Ushuaia: sunny'", 1234.567891), (
        f"ask('Ushuaia') {outcome} at t={clock.now} s; the service called back with "
        "'Ushuaia: sunny' at t=1234.567891 s. The task sets no time limit, so ask waits for "
        "the answer however long it takes; a caller who wants a deadline can wrap the call "
        "in asyncio.timeout() themselves."
    )


async def test_a_caller_deadline_around_ask_stops_the_wait(exercise, clock):
    # The deadline passes long before the answer; the test ends before the service calls back.
    service = FakeWeatherService({"Ushuaia": 12.345678})
    try:
        async with asyncio.timeout(5.37):
            outcome = f"returned {await exercise.ask('Ushuaia', service.request)!r}"
    except TimeoutError:
        outcome = "raised TimeoutError"
    except Exception as error:
        outcome = f"raised {error!r}"
    assert (outcome, clock.now) == ("raised TimeoutError", 5.37), (
        f"`async with asyncio.timeout(5.37): await ask('Ushuaia', request)` {outcome} at "
        f"t={clock.now} s; the service answers at t=12.345678 s, so the caller's deadline "
        "should end the wait with TimeoutError at t=5.37 s. The deadline cancels the task "
        "waiting in ask; let that asyncio.CancelledError go on out of ask (don't catch it "
        "to keep waiting for the answer), so the caller decides how long to wait."
    )


async def test_the_same_question_asked_twice_at_once_gets_both_answers(exercise, clock):
    # The second request for Oslo is answered first, with other weather.
    service = FakeWeatherService({"Oslo": [3.141593, 1.414213]})

    async def ask_oslo() -> str:
        answer: str = await exercise.ask("Oslo", service.request)
        return answer

    first, second = asyncio.create_task(ask_oslo()), asyncio.create_task(ask_oslo())
    _, waiting = await asyncio.wait([first, second], timeout=10)
    for task in waiting:
        task.cancel()
    await asyncio.gather(first, second, return_exceptions=True)
    outcomes = [
        "still waiting at t=10 s"
        if task in waiting
        else repr(task.exception())
        if task.exception()
        else repr(task.result())
        for task in (first, second)
    ]
    assert outcomes == ["'Oslo: sunny'", "'Oslo: cloudy'"], service.timeline.explain(
        "Two asks for 'Oslo' at the same time ended with: "
        f"first {outcomes[0]}, second {outcomes[1]}; expected the first to get 'Oslo: "
        "sunny' (its answer, at t=3.141593 s) and the second 'Oslo: cloudy' (at "
        "t=1.414213 s).",
        "Each call to ask needs a future of its own, tied to that call's callbacks, not one "
        "looked up by the query: the same query can be asked twice at once.",
    )
