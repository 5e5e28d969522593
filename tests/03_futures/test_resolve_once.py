"""Tests for exercises/03_futures/resolve_once.py."""

import asyncio
import gc
from types import ModuleType

import pytest


class Mailbox(asyncio.Future[str]):
    """An asyncio future that notes an outcome set on it after it was done.

    Only calls made outside `settle` are noted here (Mirrors notes what `settle` itself
    raises, and an error it catches is its own business): such a call comes from something
    `settle` handed to the loop to run later, and crashes in the loop instead.
    """

    def __init__(self, mirrors: "Mirrors") -> None:
        super().__init__(loop=mirrors.loop)
        self._mirrors = mirrors

    def set_result(self, result: str) -> None:
        self._note_a_late_call(f"set_result({result!r})")
        super().set_result(result)

    def set_exception(self, exception: type | BaseException) -> None:
        self._note_a_late_call(f"set_exception({exception!r})")
        super().set_exception(exception)

    def _note_a_late_call(self, call: str) -> None:
        if self.done() and not self._mirrors.settling:
            self._mirrors.crashes.append(
                f"at t={self._mirrors.loop.time():g} s, mailbox.{call} was called by the "
                f"event loop, after settle had returned (settle handed it over to run later), "
                f"and raised InvalidStateError: the mailbox was already {_describe(self)}"
            )


class Mirrors:
    """Mirrors that call `settle` on one mailbox from loop callbacks, noting any crash."""

    def __init__(self, exercise: ModuleType) -> None:
        self.loop = asyncio.get_running_loop()
        self.exercise = exercise
        self.crashes: list[str] = []
        self.settling = False
        self.mailbox: asyncio.Future[str] = Mailbox(self)

    def answer_at(self, when: float, outcome: str | Exception) -> None:
        self.loop.call_at(when, self._deliver, outcome)

    def _deliver(self, outcome: str | Exception) -> None:
        before = _describe(self.mailbox)
        self.settling = True
        try:
            self.exercise.settle(self.mailbox, outcome)
        except Exception as error:  # noted, so the test can explain it to the learner
            self.crashes.append(
                f"at t={self.loop.time():g} s, settle(mailbox, {outcome!r}) raised {error!r}; "
                f"the mailbox was already {before}"
            )
        finally:
            self.settling = False

    def explain_crashes(self) -> str:
        return (
            "settle crashed on a late outcome:\n  "
            + "\n  ".join(self.crashes)
            + "\nA future can be resolved only once, and a cancelled future not at all. "
            "Before setting the mailbox, check whether it is already done (mailbox.done()), "
            "and ignore outcomes that come too late. Check and set in the same call: "
            "several outcomes can arrive in the same instant, and a set put off until later "
            "lets every one of them pass the check."
        )


def _describe(future: asyncio.Future[str]) -> str:
    if future.cancelled():
        return "cancelled"
    if not future.done():
        return "empty"
    error = future.exception()
    return f"failed with {error!r}" if error else f"holding {future.result()!r}"


async def test_the_first_reply_wins_and_later_replies_are_ignored(exercise, clock):
    mirrors = Mirrors(exercise)
    mirrors.answer_at(3, "slow mirror")
    mirrors.answer_at(1, "fast mirror")
    mirrors.answer_at(2, "medium mirror")
    reply = await mirrors.mailbox
    assert (reply, clock.now) == ("fast mirror", 1), (
        f"Awaiting the mailbox gave {reply!r} at t={clock.now:g} s; expected 'fast mirror' at "
        "t=1 s, the first reply."
    )
    await asyncio.sleep(10)  # the slower mirrors answer meanwhile
    assert not mirrors.crashes, mirrors.explain_crashes()
    assert mirrors.mailbox.result() == "fast mirror", (
        f"After every mirror answered, the mailbox holds {mirrors.mailbox.result()!r}; "
        "expected 'fast mirror'. Later outcomes must not replace the first one."
    )


@pytest.mark.parametrize(
    "failure",
    [ConnectionError("mirror A is down"), LookupError("mirror A has no such page")],
    ids=lambda failure: type(failure).__name__,
)
async def test_an_error_that_comes_first_is_raised_and_later_replies_are_ignored(exercise, failure):
    mirrors = Mirrors(exercise)
    mirrors.answer_at(1, failure)
    mirrors.answer_at(2, "mirror B's reply")
    outcome = await outcome_of(mirrors.mailbox)
    # An exception is equal only to itself: this checks for the very object, raised.
    assert outcome == ("raised", failure), (
        f"Mirror A failed first, with {failure!r}, but awaiting the mailbox "
        f"{_said(outcome)}; expected it to raise that very exception object. Any exception "
        "is a failure, whatever its type: set it on the mailbox with set_exception."
    )
    await asyncio.sleep(10)  # mirror B answers meanwhile
    assert not mirrors.crashes, mirrors.explain_crashes()


async def outcome_of(mailbox: asyncio.Future[str]) -> tuple[str, object]:
    """("raised", the exception) or ("gave", the reply), from awaiting `mailbox`."""
    try:
        return "gave", await mailbox
    except Exception as error:
        return "raised", error


def _said(outcome: tuple[str, object]) -> str:
    how, what = outcome
    return f"{how} {what!r}"


async def test_an_error_that_comes_after_the_first_reply_is_ignored(exercise):
    mirrors = Mirrors(exercise)
    mirrors.answer_at(1, "mirror A's reply")
    mirrors.answer_at(2, ConnectionError("mirror B is down"))
    reply = await mirrors.mailbox
    await asyncio.sleep(10)  # mirror B fails meanwhile
    assert not mirrors.crashes, mirrors.explain_crashes()
    assert reply == "mirror A's reply", (
        f"Awaiting the mailbox gave {reply!r}; expected the first outcome, 'mirror A's reply'."
    )


async def test_outcomes_after_the_waiter_gave_up_are_ignored(exercise):
    mirrors = Mirrors(exercise)
    mirrors.answer_at(1, "mirror A's reply")
    mirrors.answer_at(2, ConnectionError("mirror B is down"))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(mirrors.mailbox, timeout=0.5)  # gives up: cancels the mailbox
    await asyncio.sleep(10)  # both mirrors answer meanwhile
    assert not mirrors.crashes, mirrors.explain_crashes()
    assert mirrors.mailbox.cancelled(), (
        f"The waiter gave up at t=0.5 s, cancelling the mailbox, but afterwards it was "
        f"{_describe(mirrors.mailbox)}. A cancelled future must stay cancelled."
    )


async def test_outcomes_arriving_in_the_same_instant_settle_the_mailbox_once(exercise, clock):
    mirrors = Mirrors(exercise)
    failure = ValueError("mirror A sent a garbled reply")
    mirrors.answer_at(1.5, failure)
    mirrors.answer_at(1.5, "mirror B's reply")
    mirrors.answer_at(1.5, "mirror C's reply")
    outcome = await outcome_of(mirrors.mailbox)
    assert (outcome, clock.now) == (("raised", failure), 1.5), (
        f"Three outcomes arrived at t=1.5 s, the first being mirror A's {failure!r}; "
        f"awaiting the mailbox {_said(outcome)} at t={clock.now:g} s. Expected that very "
        "exception, raised at t=1.5 s: the first outcome wins, even in the same instant."
    )
    await asyncio.sleep(10)
    assert not mirrors.crashes, mirrors.explain_crashes()


async def test_an_empty_reply_that_comes_first_wins_too(exercise, clock):
    mirrors = Mirrors(exercise)
    mirrors.answer_at(1.25, "")  # a mirror with nothing to say still answered first
    mirrors.answer_at(2.5, "mirror B's reply")
    outcome = await outcome_of(mirrors.mailbox)
    assert (outcome, clock.now) == (("gave", ""), 1.25), (
        f"Mirror A replied first with an empty text, '', at t=1.25 s, and awaiting the "
        f"mailbox {_said(outcome)} at t={clock.now:g} s; expected '' at t=1.25 s. An empty "
        "reply is still the first outcome: only whether the mailbox is done decides, not "
        "whether the reply looks empty (test `mailbox.done()`, not `if outcome`)."
    )
    await asyncio.sleep(10)
    assert not mirrors.crashes, mirrors.explain_crashes()


async def test_every_new_mailbox_takes_its_own_first_outcome(exercise, clock):
    # One question after another, each with a fresh mailbox; the old ones are collected, so a
    # new mailbox may live where an old one did, and even share its id().
    for n in range(1, 31):
        mirrors = Mirrors(exercise)
        asked_at = clock.now
        mirrors.answer_at(asked_at + 0.37, f"reply {n}")
        await asyncio.wait([mirrors.mailbox], timeout=1.13)
        waited = round(clock.now - asked_at, 6)
        assert (_describe(mirrors.mailbox), waited) == (f"holding 'reply {n}'", 0.37), (
            f"Question {n} had a fresh mailbox, and its only mirror called settle(mailbox, "
            f"'reply {n}') 0.37 s after it was asked; after waiting {waited:g} s for it, the "
            f"mailbox was {_describe(mirrors.mailbox)}. Expected it to hold 'reply {n}' from "
            "then on. Whether a mailbox is settled is the mailbox's own state: ask "
            "mailbox.done(), rather than remembering the mailboxes settled before (an id() "
            "is reused once its object is gone)."
        )
        assert not mirrors.crashes, mirrors.explain_crashes()
        del mirrors
        gc.collect()
