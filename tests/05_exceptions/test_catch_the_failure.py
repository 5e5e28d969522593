"""Tests for exercises/05_exceptions/catch_the_failure.py."""

import asyncio
import socket

import pytest

from grader.inside.testing import task_outcome


class PriceService:
    """Answers `price` after `delay` seconds of virtual time, or raises `error` instead."""

    def __init__(
        self, price: float = 9.5, delay: float = 1, error: BaseException | None = None
    ) -> None:
        self.price = price
        self.delay = delay
        self.error = error
        self.calls: list[str] = []

    async def fetch_price(self, item: str) -> float:
        self.calls.append(item)
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.price


# A free item's price, 0.0, is an answer like any other: only an error calls for the fallback.
@pytest.mark.parametrize("answer", [9.5, 0.0])
async def test_the_price_comes_back_when_the_service_answers(exercise, clock, answer):
    service = PriceService(price=answer)
    price = await exercise.price_or_fallback("tea", service.fetch_price, 5.0)
    assert price == answer, (
        f"price_or_fallback('tea', ..., fallback=5.0) returned {price!r} while the service "
        f"answered {answer!r}; expected {answer!r}. Return what the awaited call gives back "
        "when it succeeds, whatever the value: the fallback is for a ConnectionError only, "
        "so decide it in the `except` clause, not by testing the price (`price or fallback`)."
    )
    assert service.calls == ["tea"], (
        f"fetch_price was called with {service.calls!r}; expected exactly one call, for 'tea'."
    )
    assert clock.now == 1, (
        f"The service answered at t=1 s, but price_or_fallback returned at t={clock.now:g} s; "
        "expected t=1 s. Return as soon as the awaited call gives its answer."
    )


CONNECTION_ERRORS = [
    ConnectionError("price service unreachable"),
    ConnectionRefusedError("connection refused"),
    ConnectionAbortedError("connection aborted"),
    ConnectionResetError("connection reset by peer"),
]


async def some_connection_error_gives_the_fallback(exercise) -> bool:
    """Whether price_or_fallback falls back for at least one kind of ConnectionError."""
    for error in CONNECTION_ERRORS:
        try:
            price = await exercise.price_or_fallback(
                "tea", PriceService(0, 0, error).fetch_price, 5.0
            )
        except ConnectionError:
            continue
        if price == 5.0:
            return True
    return False


@pytest.mark.parametrize("error", CONNECTION_ERRORS, ids=lambda error: type(error).__name__)
async def test_an_unreachable_service_gives_the_fallback(exercise, clock, error):
    service = PriceService(error=error)
    try:
        price = await exercise.price_or_fallback("tea", service.fetch_price, 5.0)
    except ConnectionError as escaped:
        if await some_connection_error_gives_the_fallback(exercise):
            why = (
                f"Other connection errors do give the fallback, so the `except` clause is "
                f"too narrow for {type(error).__name__}: name ConnectionError itself, which "
                "covers all its subclasses (ConnectionRefusedError, ConnectionResetError, ...)."
            )
        else:
            why = (
                "The error comes out of the `await`, so the `await` itself must sit inside "
                "the `try`, and the `except` must name ConnectionError (which covers all "
                "its subclasses)."
            )
        raise AssertionError(
            f"fetch_price raised {error!r} and price_or_fallback let it reach the caller; "
            f"expected the fallback 5.0. {why}"
        ) from escaped
    assert price == 5.0, (
        f"fetch_price raised {error!r} and price_or_fallback returned {price!r}; expected "
        "the fallback 5.0."
    )
    assert clock.now == 1, (
        f"price_or_fallback came back at t={clock.now:g} s; the failed call ended at t=1 s, "
        "so the fallback was due right then."
    )


async def test_a_slow_service_is_waited_for_however_long_it_takes(exercise, clock):
    # 3540.3 s: longer than any timeout a learner might guess (the task sets none), and
    # still short of the hour after which the kit calls an await loop endless.
    service = PriceService(price=9.5, delay=3540.3)
    try:
        price = await exercise.price_or_fallback("tea", service.fetch_price, 5.0)
    except TimeoutError as error:
        raise AssertionError(
            f"fetch_price answered 9.5 after 3540.3 s, and price_or_fallback raised {error!r} "
            f"at t={clock.now:g} s; expected 9.5 at t=3540.3 s. The task sets no time limit: "
            "await fetch_price(item) itself, with no timeout around it."
        ) from error
    assert (price, clock.now) == (9.5, 3540.3), (
        f"fetch_price answered 9.5 after 3540.3 s, and price_or_fallback returned {price!r} "
        f"at t={clock.now:g} s; expected 9.5 at t=3540.3 s. A slow answer is still the answer: "
        "the task sets no time limit, and a slow service is not an unreachable one."
    )


# Errors that are not ConnectionErrors, though some sound like network trouble: other
# OSErrors (a failed DNS lookup, a timeout, a refused permission) and a cut-off read.
@pytest.mark.parametrize(
    "error",
    [
        ValueError("no price for 'tea'"),
        KeyError("tea"),
        PermissionError("not allowed"),
        TimeoutError("too slow"),
        socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
        EOFError("the answer stopped half-way"),
        asyncio.IncompleteReadError(b"9.", 8),
    ],
    ids=lambda error: type(error).__name__,
)
async def test_other_errors_reach_the_caller_unchanged(exercise, error):
    service = PriceService(error=error)
    raised: Exception | None = None
    try:
        outcome = f"returned {await exercise.price_or_fallback('tea', service.fetch_price, 5.0)!r}"
    except Exception as caught:
        outcome, raised = f"raised {caught!r}", caught
    kinds = [kind.__name__ for kind in type(error).__mro__[1:-3]]  # not Exception and above
    family = f" (a subclass of {', '.join(kinds)})" if kinds else ""
    assert raised is error, (
        f"fetch_price raised {error!r}{family}, and price_or_fallback {outcome}; expected it "
        "to raise that very error. Only a ConnectionError (or a subclass of it) means the "
        "service is unreachable: let every other error through untouched, even one that "
        "sounds like network trouble. Name ConnectionError alone in the `except` clause."
    )


async def test_a_cancelled_call_ends_cancelled_instead_of_falling_back(exercise, clock):
    service = PriceService(delay=10)
    task = asyncio.create_task(exercise.price_or_fallback("tea", service.fetch_price, 5.0))
    await asyncio.sleep(1)
    task.cancel()
    await asyncio.wait({task})
    assert task.cancelled(), (
        f"price_or_fallback was cancelled at t=1 s while it awaited fetch_price, and it "
        f"{task_outcome(task)}; expected it to end cancelled. asyncio.CancelledError is how "
        "cancellation travels: never catch it (no bare `except:`, no `except BaseException`)."
    )
    assert clock.now == 1, (
        f"price_or_fallback was cancelled at t=1 s, but it ended only at t={clock.now:g} s: "
        "it went on waiting for the 10 s fetch_price. Being cancelled means stopping now: "
        "await fetch_price directly (no shield, no waiting for it in a handler), so the "
        "cancellation stops it at once."
    )
