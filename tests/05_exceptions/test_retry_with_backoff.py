"""Tests for exercises/05_exceptions/retry_with_backoff.py."""

import asyncio

import pytest

from grader.inside.testing import Timeline, task_outcome


class ReadTimeout(TimeoutError):
    """A timeout of a more precise kind, as client libraries raise: still a TimeoutError."""


class FlakyService:
    """Each call takes `duration` seconds, then raises the next of `failures`, or answers.

    Once the failures are used up, every call answers `answer` ("ok" unless told).
    """

    def __init__(
        self, failures: list[Exception], duration: float = 0, answer: object = "ok"
    ) -> None:
        self.failures = list(failures)
        self.duration = duration
        self.answer = answer
        self.timeline = Timeline()

    async def call(self) -> object:
        async with self.timeline.track(f"attempt {len(self.timeline.spans) + 1}"):
            await asyncio.sleep(self.duration)
            if self.failures:
                raise self.failures.pop(0)
            return self.answer

    @property
    def starts(self) -> list[float]:
        """When each attempt started."""
        return [span.start for span in self.timeline.spans]


# A success is an attempt that raised nothing, whatever it returned: None, 0 and "" too.
@pytest.mark.parametrize("answer", ["ok", None, 0, ""], ids=["'ok'", "None", "0", "''"])
async def test_a_first_success_returns_at_once(exercise, clock, answer):
    # Each attempt takes 0.25 s, so that an attempt made again and again moves the clock on.
    service = FlakyService([], duration=0.25, answer=answer)
    task = asyncio.create_task(exercise.retry_with_backoff(service.call, 4))
    await asyncio.wait({task}, timeout=10)  # four failed attempts and their waits take 8 s
    outcome = task_outcome(task)
    if not task.done():
        task.cancel()
        await asyncio.wait({task})
    expected = f"returned {answer!r}"
    if answer == "ok":
        nudge = "Return the result of the first attempt that succeeds; do not call again."
    else:
        nudge = (
            f"{answer!r} is falsy, but it is a result: an attempt succeeded when it raised "
            "nothing. Return what it returned, without testing it (`if result`, `while "
            "result is None`)."
        )
    assert (outcome, service.starts) == (expected, [0]), service.timeline.explain(
        f"The first attempt succeeded with {answer!r} at t=0.25 s; retry_with_backoff "
        f"{outcome} after {len(service.starts)} call(s) of operation(), at t = "
        f"{service.starts[:5]!r}{' ...' if len(service.starts) > 5 else ''}; expected it to "
        f"return {answer!r} after a single call.",
        nudge,
    )
    assert clock.now == 0.25, (
        f"A first-time success at t=0.25 s came back at t={clock.now:g} s; expected 0.25 s."
    )


async def test_attempts_start_after_waits_of_1_2_and_4_seconds(exercise, clock):
    failures = [ConnectionError("down"), TimeoutError("slow"), ConnectionResetError("reset")]
    service = FlakyService(failures)
    result = await exercise.retry_with_backoff(service.call, 5)
    assert service.starts == [0, 1, 3, 7], service.timeline.explain(
        f"Three failures (ConnectionError, TimeoutError, ConnectionResetError), then a "
        f"success: the attempts started at t = {service.starts!r}; expected [0, 1, 3, 7].",
        "Wait 1 s before the second attempt, 2 s before the third and 4 s before the "
        "fourth: double the delay after each failure, with `await asyncio.sleep(delay)`.",
    )
    assert result == "ok", f"retry_with_backoff returned {result!r}; expected 'ok'."


async def test_after_the_last_attempt_its_error_is_raised_without_waiting(exercise, clock):
    failures = [
        ConnectionError("failure 1"),
        TimeoutError("failure 2"),
        ConnectionError("failure 3"),
    ]
    service = FlakyService(failures)
    with pytest.raises(ConnectionError) as raised:
        await exercise.retry_with_backoff(service.call, 3)
    assert service.starts == [0, 1, 3], service.timeline.explain(
        f"With attempts=3, operation() was called at t = {service.starts!r}; expected "
        "[0, 1, 3]: three attempts, with waits of 1 s and 2 s between them.",
        "Count the attempts: the first try plus the retries make `attempts` calls in all."
        if len(service.starts) != 3
        else "Double the wait after each failure: 1 s, then 2 s.",
    )
    copied = raised.value is not failures[-1] and repr(raised.value) == repr(failures[-1])
    assert raised.value is failures[-1], (
        f"All three attempts failed and retry_with_backoff raised {raised.value!r}"
        + (", a new error made to look like the last one" if copied else "")
        + "; expected the last attempt's error itself, ConnectionError('failure 3'). Let it "
        "reach the caller as it is (make the last call outside any try, or end the handler "
        "with a bare `raise`)."
    )
    assert clock.now == 3, (
        f"The last attempt failed at t=3 s, but its error came out at t={clock.now:g} s. "
        "There is nothing left to wait for after the last attempt: raise at once."
    )


# Every kind the task names, subclasses included: ConnectionRefusedError is a
# ConnectionError, ReadTimeout a TimeoutError.
@pytest.mark.parametrize(
    "kind", [ConnectionError, ConnectionRefusedError, TimeoutError, ReadTimeout]
)
async def test_each_retryable_kind_of_error_is_retried_subclasses_included(exercise, clock, kind):
    error = kind("try again")
    service = FlakyService([error])
    try:
        outcome = f"returned {await exercise.retry_with_backoff(service.call, 3)!r}"
    except Exception as raised:  # any error is the learner's, reported below
        outcome = f"raised {raised!r}"
    bases = " and ".join(
        base.__name__ for base in (ConnectionError, TimeoutError) if issubclass(kind, base)
    )
    assert (outcome, service.starts) == ("returned 'ok'", [0, 1]), service.timeline.explain(
        f"The first attempt raised {error!r} (a {bases}) and the second was to succeed; "
        f"retry_with_backoff {outcome} after attempts at "
        f"t = {service.starts!r}; expected 'ok' after attempts at t = [0, 1].",
        "A subclass of ConnectionError or TimeoutError is one of them too: catch them with "
        "`except (ConnectionError, TimeoutError)` or test isinstance(), which match "
        "subclasses, not `type(error) is ...` or `==`.",
    )


# The same errors as the first attempt, or after a retryable failure: each failure is
# judged on its own kind.
@pytest.mark.parametrize("retried_first", [False, True], ids=["at_first", "after_a_retry"])
@pytest.mark.parametrize(
    "error",
    [ValueError("bad request"), PermissionError("forbidden")],
    ids=["ValueError", "PermissionError"],
)
async def test_other_errors_are_raised_at_once_without_retrying(
    exercise, clock, error, retried_first
):
    before = [ConnectionError("down")] if retried_first else []
    service = FlakyService([*before, error])
    expected_starts = [0, 1] if retried_first else [0]
    story = (
        f"The first attempt raised ConnectionError('down') and the second {error!r}"
        if retried_first
        else f"The first attempt raised {error!r}"
    )
    nudge = (
        "Only ConnectionError and TimeoutError are worth retrying: catch those two alone "
        "(PermissionError is an OSError, but not a ConnectionError)"
        + (
            ", and look at each failure's own kind: a retryable failure before it does not "
            "make this one retryable."
            if retried_first
            else "."
        )
    )
    try:
        result = await exercise.retry_with_backoff(service.call, 4)
    except type(error) as raised:
        caught = raised
    else:
        raise AssertionError(
            service.timeline.explain(
                f"{story}, yet retry_with_backoff made attempts at "
                f"t = {service.starts!r} and returned {result!r}; expected {error!r} "
                "to reach the caller at once.",
                nudge,
            )
        )
    assert caught is error, f"{story}; the caller got {caught!r}."
    assert service.starts == expected_starts, service.timeline.explain(
        f"{story}, and operation() was called at t = {service.starts!r}; expected calls "
        f"at t = {expected_starts!r} and no more.",
        nudge,
    )


@pytest.mark.parametrize(
    ("cancel_at", "moment"),
    [(2.5, "during_an_attempt"), (1.5, "during_a_wait")],
    ids=["during_an_attempt", "during_a_wait"],
)
async def test_cancelling_stops_the_retries_and_ends_cancelled(exercise, clock, cancel_at, moment):
    # Each attempt takes 1 s and fails: attempts run 0-1, 2-3, 5-6, 10-11 s.
    service = FlakyService([ConnectionError(f"failure {n}") for n in range(1, 6)], duration=1)
    task = asyncio.create_task(exercise.retry_with_backoff(service.call, 5))
    await asyncio.sleep(cancel_at)
    task.cancel()
    await asyncio.wait({task}, timeout=30)
    ended = task_outcome(task)
    if not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=30)
    expected_starts = [0, 2] if cancel_at > 2 else [0]
    stopped_there = ended == "ended cancelled" and service.starts == expected_starts
    assert stopped_there, service.timeline.explain(
        f"retry_with_backoff was cancelled at t={cancel_at:g} s "
        f"({moment.replace('_', ' ')}), then it {ended} and made attempts at "
        f"t = {service.starts!r}; expected it to end cancelled there, after attempts at "
        f"t = {expected_starts!r}.",
        "Cancellation is not a failure to retry: asyncio.CancelledError must go "
        "straight through (catch only ConnectionError and TimeoutError).",
    )


@pytest.mark.parametrize(
    ("attempts", "starts", "raised_at"),
    [
        (1, [0], 0.25),
        (2, [0, 1.25], 1.5),
        (4, [0, 1.25, 3.5, 7.75], 8),
        # The waits grow to 32 s: the doubling has no cap.
        (7, [0, 1.25, 3.5, 7.75, 16, 32.25, 64.5], 64.75),
    ],
    ids=["1_attempt", "2_attempts", "4_attempts", "7_attempts"],
)
async def test_exactly_attempts_calls_are_made_when_every_one_fails(
    exercise, clock, attempts, starts, raised_at
):
    # Each attempt takes 0.25 s before it fails, so the backoff counts from its failure.
    failures = [ConnectionError(f"failure {n}") for n in range(1, 8)]
    service = FlakyService(failures, duration=0.25)
    with pytest.raises(ConnectionError) as raised:
        await exercise.retry_with_backoff(service.call, attempts)
    assert service.starts == starts, service.timeline.explain(
        f"With attempts={attempts} and every 0.25 s attempt failing, operation() was called "
        f"at t = {service.starts!r}; expected {starts!r}: {attempts} call(s) in all, each "
        "retry waiting 1 s, 2 s, 4 s, ... after the failure before it.",
        "`attempts` counts every call, the first one included: attempts=1 means one call "
        "and no retry."
        if len(service.starts) != attempts
        else "The calls are right, their times are not: each wait starts when the attempt "
        "before it has failed, and doubles every time (1 s, 2 s, 4 s, ...), with no cap.",
    )
    last = failures[attempts - 1]
    copied = raised.value is not last and repr(raised.value) == repr(last)
    assert (raised.value is last, clock.now) == (True, raised_at), (
        f"retry_with_backoff raised {raised.value!r}"
        + (", a new error made to look like the last one," if copied else "")
        + f" at t={clock.now:g} s; expected the last attempt's own error, {last!r}, at "
        f"t={raised_at:g} s, when it failed."
        + (" Let that error reach the caller as it is." if copied else "")
    )


async def test_a_slow_attempt_is_waited_for_however_long_it_takes(exercise, clock):
    # Each attempt takes over ten minutes: longer than any time limit one might guess.
    service = FlakyService([ConnectionError("failure 1")], duration=612.37)
    try:
        outcome = repr(await exercise.retry_with_backoff(service.call, 4))
    except Exception as error:  # any error is the learner's, reported below
        outcome = f"raised {error!r}"
    assert (outcome, service.starts) == ("'ok'", [0, 613.37]), service.timeline.explain(
        f"Each attempt takes 612.37 s; the first fails and the second succeeds. "
        f"retry_with_backoff came back with {outcome} after attempts at "
        f"t = {service.starts!r}; expected 'ok' after attempts at t = [0, 613.37].",
        "The task puts no time limit on an attempt: a slow answer is still an answer. "
        "Await operation() as it is, without asyncio.wait_for or asyncio.timeout around it.",
    )
    assert clock.now == 1225.74, (
        f"The second attempt succeeded at t=1225.74 s, but retry_with_backoff returned at "
        f"t={clock.now:g} s. Return the result as soon as it comes."
    )
