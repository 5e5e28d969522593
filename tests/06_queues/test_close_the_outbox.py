"""Tests for exercises/06_queues/close_the_outbox.py (Queue.shutdown: Python 3.13 and newer).

asyncio.QueueShutDown is only looked up inside the tests, so that this file still imports
on older Pythons, where the grader reports the exercise as needing 3.13.
"""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Iterator

import pytest

from grader.inside.testing import Clock, Timeline, task_outcome

# Long enough, in virtual time, that a call still waiting after it would wait forever
# (an hour: longer than the ten-minute sends and silences some tests use).
PATIENCE = 3600


class FakeSender:
    """Sends a message in a per-message time of virtual time; the message `broken` fails."""

    def __init__(self, seconds: dict[str, float] | None = None, broken: str = "") -> None:
        self.seconds = seconds or {}
        self.broken = broken
        self.timeline = Timeline()
        self.raised: Exception | None = None

    async def send(self, message: str) -> None:
        async with self.timeline.track(message):
            await asyncio.sleep(self.seconds.get(message, 1))
            if message == self.broken:
                self.raised = ConnectionError(f"{message} bounced")
                raise self.raised

    def sent(self) -> list[str]:
        return [span.label for span in self.timeline.spans if span.outcome == "done"]


def outbox_of(*messages: str, maxsize: int = 0) -> asyncio.Queue[str]:
    outbox: asyncio.Queue[str] = asyncio.Queue(maxsize)
    for message in messages:
        outbox.put_nowait(message)
    return outbox


async def within_patience(call: Awaitable[object], stuck: str) -> object:
    try:
        async with asyncio.timeout(PATIENCE):
            return await call
    except TimeoutError:
        raise AssertionError(f"Still waiting {PATIENCE} s later: {stuck}") from None


def leaves(error: BaseException) -> Iterator[BaseException]:
    """The exceptions inside ``error``, a (possibly nested) exception group, or ``error`` itself."""
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from leaves(inner)
    else:
        yield error


def is_shut_down(outbox: asyncio.Queue[str]) -> bool:
    """Whether the (unbounded) outbox refuses a new message, as a shut-down queue does."""
    try:
        outbox.put_nowait("late")
    except asyncio.QueueShutDown:
        return True
    return False


async def joined_at(outbox: asyncio.Queue[str], clock: Clock) -> float:
    """Wait in ``outbox.join()`` as a producer would; return the time it returned."""
    await outbox.join()
    return clock.now


def sends_outliving(sender: FakeSender, ended_at: float) -> list[str]:
    """The messages whose send was still under way after ``ended_at``."""
    return [span.label for span in sender.timeline.spans if span.end is None or span.end > ended_at]


def assert_nothing_left_running(what: str) -> None:
    me = asyncio.current_task()
    left = [task for task in asyncio.all_tasks() if task is not me]
    assert not left, f"{what}, {len(left)} task(s) were still running."


async def test_the_backlog_is_sent_after_shutdown_and_then_deliver_returns(exercise, clock):
    sender = FakeSender({"a": 1.3, "b": 0.25, "c": 0.25})
    outbox = outbox_of("a", "b", "c", "b", "d")
    outbox.shutdown()
    count = await within_patience(
        exercise.deliver(outbox, sender.send, 2),
        "deliver did not return after the outbox was shut down and emptied. A sender "
        "returns when `await outbox.get()` raises asyncio.QueueShutDown.",
    )
    assert Counter(sender.sent()) == Counter("abcbd"), sender.timeline.explain(
        f"The outbox held a, b, c, b, d and was shut down; deliver sent {sender.sent()}. "
        "Expected every message, b twice: shutdown() lets get() hand out what is left.",
        "Keep taking messages until get() raises QueueShutDown; don't stop at shutdown itself.",
    )
    # b at 0.25, c at 0.5, b at 0.75, d from 0.75 to 1.75, while a ends at 1.3.
    assert (count, clock.now) == (5, 1.75), sender.timeline.explain(
        f"deliver returned {count!r} at t={clock.now:g} s; expected 5 at t=1.75 s, when "
        "the last send ended.",
        "Two senders take the next message as soon as they are free.",
    )
    assert_nothing_left_running("After deliver returned")


async def test_senders_wait_for_new_messages_until_the_outbox_is_shut_down(exercise, clock):
    sender = FakeSender({"x": 0.25, "y": 0.25})
    outbox = outbox_of()
    delivering = asyncio.create_task(exercise.deliver(outbox, sender.send, 3))
    await asyncio.sleep(1.3)
    outbox.put_nowait("x")
    # Ten minutes of silence: longer than any time limit a sender might guess.
    await asyncio.sleep(612.5)
    outbox.put_nowait("y")
    outbox.put_nowait("x")
    await asyncio.sleep(1.5)
    early = task_outcome(delivering)
    outbox.shutdown()
    await asyncio.wait([delivering], timeout=PATIENCE)
    assert early == "was still running", sender.timeline.explain(
        f"Before the outbox was shut down at t=615.3 s, deliver {early}; expected it to keep "
        "waiting for messages. An empty outbox is not a closed one, however long it stays "
        "empty: wait in get() with no time limit, and stop only when it raises QueueShutDown.",
        "Messages were put at t=1.3 s and, after ten minutes of silence, at t=613.8 s.",
    )
    outcome = (task_outcome(delivering), clock.now)
    assert outcome == ("returned 3", 615.3), sender.timeline.explain(
        f"After shutdown() at t=615.3 s, deliver {task_outcome(delivering)} at t={clock.now:g} s; "
        "expected it to return 3 at once.",
        "shutdown() wakes every sender waiting in get() with QueueShutDown.",
    )
    starts = [span.start for span in sender.timeline.spans]
    assert starts == [1.3, 613.8, 613.8], sender.timeline.explain(
        f"Messages put at t = 1.3, 613.8 and 613.8 s were sent from t = {starts}.",
        "Wait in `await outbox.get()` rather than polling for messages.",
    )


async def test_a_send_is_waited_for_however_long_it_takes(exercise, clock):
    sender = FakeSender({"slow": 612.5, "quick": 0.29})
    outbox = outbox_of("slow", "quick")
    outbox.shutdown()
    delivering = asyncio.create_task(exercise.deliver(outbox, sender.send, 2))
    await asyncio.wait([delivering], timeout=PATIENCE)
    outcome = task_outcome(delivering)
    delivering.cancel()
    assert (outcome, clock.now) == ("returned 2", 612.5), sender.timeline.explain(
        f"With one send taking 612.5 s, deliver {outcome} at t={clock.now:g} s; "
        "expected it to return 2 at t=612.5 s, when that send ended.",
        "The task sets no time limit: await each send however long it takes, without "
        "asyncio.wait_for or asyncio.timeout around it.",
    )


async def test_join_returns_once_every_message_has_been_dealt_with(exercise, clock):
    sender = FakeSender({"a": 0.25, "b": 2.5, "c": 1.3}, broken="c")
    outbox = outbox_of("a", "b")
    delivering = asyncio.create_task(exercise.deliver(outbox, sender.send, 2))
    await within_patience(
        outbox.join(),
        "outbox.join() never returned. Call outbox.task_done() once per message taken, "
        "in a `finally` after the send.",
    )
    joined_at = clock.now
    outbox.shutdown()
    count = await within_patience(delivering, "deliver did not return after shutdown().")
    assert joined_at == 2.5, sender.timeline.explain(
        f"outbox.join() returned at t={joined_at:g} s; expected t=2.5 s, when the last "
        "message was sent.",
        "task_done() after each send, not before it: join() means the messages were sent.",
    )
    assert count == 2, f"deliver sent a and b but returned {count!r}."


async def test_an_immediate_shutdown_drops_the_rest_once_the_current_sends_end(exercise, clock):
    sender = FakeSender({"a": 1.3, "b": 2.5})
    outbox = outbox_of("a", "b", "c", "d", "e")
    delivering = asyncio.create_task(exercise.deliver(outbox, sender.send, 2))
    await asyncio.sleep(0.25)
    outbox.shutdown(immediate=True)
    count = await within_patience(delivering, "deliver kept running after an immediate shutdown.")
    assert sender.sent() == ["a", "b"], sender.timeline.explain(
        f"With a and b being sent, shutdown(immediate=True) at t=0.25 s; deliver then sent "
        f"{sender.sent()}. Expected just a and b: the messages still waiting are dropped.",
        "After an immediate shutdown, get() raises QueueShutDown at once.",
    )
    assert (count, clock.now) == (2, 2.5), (
        f"deliver returned {count!r} at t={clock.now:g} s; expected 2 at t=2.5 s, when the "
        "send already under way ended."
    )


async def test_a_failing_send_raises_and_frees_the_producers_waiting_on_the_outbox(exercise, clock):
    sender = FakeSender({"a": 0.25, "b": 1.3, "c": 2.5}, broken="b")
    outbox = outbox_of(maxsize=1)

    async def produce() -> str:
        try:
            for message in "abcdefg":
                await outbox.put(message)
        except asyncio.QueueShutDown:
            return f"put() raised QueueShutDown at t={clock.now:g}"
        return "put every message"

    producer = asyncio.create_task(produce())
    joiner = asyncio.create_task(joined_at(outbox, clock))
    await asyncio.sleep(0)
    try:
        await within_patience(exercise.deliver(outbox, sender.send, 2), "deliver never ended.")
    except (ConnectionError, ExceptionGroup) as error:
        raised: BaseException | None = error
    else:
        raised = None
    ended_at = clock.now
    the_send_error = raised is not None and all(leaf is sender.raised for leaf in leaves(raised))
    assert the_send_error, (
        f"send('b') raised {sender.raised!r} at t=1.3 s and deliver ended with {raised!r}; "
        "expected that error (alone, or in a TaskGroup's ExceptionGroup)."
    )
    assert ended_at == 1.3, f"deliver raised at t={ended_at:g} s; expected t=1.3 s."
    await asyncio.wait([producer, joiner], timeout=PATIENCE)
    outlived = sends_outliving(sender, ended_at)
    assert not outlived, sender.timeline.explain(
        f"send('b') failed at t=1.3 s and deliver raised then, but the send of {outlived} "
        "went on after it: that sender was never stopped.",
        "Start the senders in a TaskGroup: when one fails, it cancels the others and waits "
        "for them before the error reaches you (asyncio.gather and asyncio.wait do not).",
    )
    assert task_outcome(producer) == "returned 'put() raised QueueShutDown at t=1.3'", (
        f"A producer was waiting in put() on the full outbox when the send failed; it "
        f"{task_outcome(producer)}. Expected its put() to raise QueueShutDown at t=1.3 s: "
        "when deliver stops, it must call outbox.shutdown(immediate=True) so nobody waits "
        "for senders that are gone."
    )
    if outbox.qsize():
        why = (
            f"{outbox.qsize()} message(s) were still in the outbox, counted as not done: "
            "plain shutdown() leaves them there, shutdown(immediate=True) drops them and "
            "marks them finished."
        )
    else:
        why = (
            "The outbox was empty, so a message a sender had taken was never marked "
            "finished: the send cancelled when the other one failed needs its task_done() "
            "too. Call it in a `finally` after the send, so it runs however the send ends."
        )
    assert task_outcome(joiner) == "returned 1.3", (
        f"A producer waiting in outbox.join() {task_outcome(joiner)} after deliver failed at "
        f"t=1.3 s; expected join() to return then. {why}"
    )


@pytest.mark.parametrize("at", [0, 0.25, 1.3])
async def test_cancelling_deliver_stops_the_senders_and_shuts_the_outbox(exercise, clock, at):
    sender = FakeSender({"a": 1.3, "b": 0.25})
    outbox = outbox_of("a", "b", "c")
    delivering = asyncio.create_task(exercise.deliver(outbox, sender.send, 2))
    joiner = asyncio.create_task(joined_at(outbox, clock))
    await asyncio.sleep(at)
    delivering.cancel()
    await asyncio.wait([delivering], timeout=PATIENCE)
    ended_at = clock.now
    outcome = task_outcome(delivering)
    left = [task for task in asyncio.all_tasks() if task not in (asyncio.current_task(), joiner)]
    await asyncio.wait([joiner], timeout=PATIENCE)
    joined = task_outcome(joiner)
    joiner.cancel()
    outlived = sends_outliving(sender, ended_at)
    assert outcome == "ended cancelled", (
        f"deliver was cancelled at t={at:g} s and {outcome}; expected it to end cancelled."
    )
    assert (ended_at, outlived, len(left)) == (at, [], 0), sender.timeline.explain(
        f"deliver was cancelled at t={at:g} s and ended at t={ended_at:g} s, leaving "
        f"{len(left)} task(s) running; the send of {outlived} went on after it ended. "
        "Expected it to stop its senders and end at once.",
        "Start the senders in a TaskGroup, which cancels them all when it is cancelled "
        "(a cancelled asyncio.wait or gather leaves the tasks it waited for running).",
    )
    assert is_shut_down(outbox), (
        f"deliver was cancelled at t={at:g} s and left the outbox open: put_nowait() still "
        "took a message afterwards, so producers would wait for senders that are gone. "
        "However deliver stops, cancelled included, it must call "
        "outbox.shutdown(immediate=True). asyncio.CancelledError is a BaseException, which "
        "`except Exception` does not catch: use `except BaseException:` and a bare `raise`."
    )
    assert joined == f"returned {float(at)!r}", (
        f"A producer waiting in outbox.join() {joined} after deliver was cancelled at "
        f"t={at:g} s, with {outbox.qsize()} message(s) still in the outbox; expected join() "
        "to return then. Plain shutdown() leaves the messages waiting there, counted as not "
        "done, for senders that are gone: on a cancel too, call "
        "outbox.shutdown(immediate=True), which drops them and marks them finished."
    )
    assert_nothing_left_running(f"After deliver was cancelled at t={at:g} s")
