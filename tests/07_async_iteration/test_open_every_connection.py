"""Tests for exercises/07_async_iteration/open_every_connection.py."""

import asyncio
from contextlib import nullcontext

import pytest

from grader.inside.testing import cancel_at_each_suspension


class FakeServers:
    """Connections that take 0.25 s to open and to close, numbered in the order opened.

    Opening a server in `refuse` fails; closing a connection to a server in `close_fails`
    fails after the connection is closed. A connection counts as open once connect() has
    returned it, and as closed once its close() has finished (cancelled half-way, it still
    counts as closed, at that moment): a close started and not waited for has not happened.
    A close started while another is still under way is noted in `overlaps`.
    """

    def __init__(self, refuse: str = "", close_fails: str = "") -> None:
        self.refuse = refuse
        self.close_fails = close_fails
        self.events: list[str] = []
        self.open: list[str] = []
        self.tried: list[str] = []
        self.raised: Exception | None = None
        self.closing: list[str] = []
        self.overlaps: list[str] = []

    async def connect(self, server: str) -> str:
        self.tried.append(server)
        await asyncio.sleep(0.25)
        if server == self.refuse:
            self.raised = ConnectionRefusedError(f"{server} refused the connection")
            raise self.raised
        conn = f"{server}#{len(self.events) + 1}"
        self.events.append(f"open {conn}")
        self.open.append(conn)
        return conn

    async def close(self, conn: str) -> None:
        self.events.append(f"close {conn}")
        if self.closing:
            self.overlaps.append(f"{conn} began closing while {', '.join(self.closing)} was")
        self.closing.append(conn)
        try:
            await asyncio.sleep(0.25)
        finally:
            self.open.remove(conn)
            self.closing.remove(conn)
        if conn.split("#")[0] == self.close_fails:
            self.raised = OSError(f"closing {conn} failed")
            raise self.raised

    def closes(self) -> list[str]:
        return [event.removeprefix("close ") for event in self.events if event.startswith("close")]

    def explain_overlaps(self) -> str:
        return (
            f"open_all closed its connections at the same time: {'; '.join(self.overlaps)}. "
            "'The last opened first' means each close starts only once the one before it "
            "has finished: await them one after another (as an AsyncExitStack does), not "
            "all at once with gather or tasks."
        )


async def test_connection_gives_the_block_a_connection_and_closes_it_after(exercise, clock):
    servers = FakeServers()
    async with exercise.connection("db", servers) as conn:
        inside = list(servers.open)
        await asyncio.sleep(1.3)
    assert (conn, inside) == ("db#1", ["db#1"]), (
        f"`async with connection('db', network) as conn` gave conn={conn!r} with "
        f"{inside} open; expected the connection connect('db') returned."
    )
    assert (servers.events, clock.now) == (["open db#1", "close db#1"], 1.8), (
        f"After the block, the calls were {servers.events} at t={clock.now:g} s; expected "
        "the connection closed once, right after the block (t=1.8 s)."
    )


async def test_connection_closes_when_the_block_raises_and_lets_the_error_out(exercise, clock):
    servers = FakeServers()
    error = KeyError("no such row")
    with pytest.raises(KeyError) as raised:
        async with exercise.connection("db", servers):
            raise error
    assert raised.value is error, f"The block raised {error!r}; out came {raised.value!r}."
    assert servers.open == [], (
        f"The block raised KeyError and {servers.open} stayed open. In an "
        "@asynccontextmanager generator the block's error is raised at the `yield`: close "
        "the connection in a `finally` around it."
    )


async def test_open_all_opens_one_per_server_in_order_and_closes_them_last_first(exercise, clock):
    servers = FakeServers()
    async with exercise.open_all(["a", "b", "a", "c"], servers) as conns:
        inside = list(servers.open)
    assert conns == inside == ["a#1", "b#2", "a#3", "c#4"], (
        f"open_all(['a', 'b', 'a', 'c']) gave {conns!r} with {inside} open; expected "
        "['a#1', 'b#2', 'a#3', 'c#4']: one connection per server, in order, a twice."
    )
    assert servers.closes() == ["c#4", "a#3", "b#2", "a#1"], (
        f"After the block, open_all closed {servers.closes()}; expected "
        "['c#4', 'a#3', 'b#2', 'a#1']: every connection, the last opened first "
        "(an AsyncExitStack exits what it entered in reverse)."
    )


@pytest.mark.parametrize(
    ("block_raises", "close_fails"),
    [(False, ""), (True, ""), (False, "b"), (True, "c")],
    ids=["block-ends", "block-raises", "a-close-fails", "block-raises-and-a-close-fails"],
)
async def test_each_close_starts_only_after_the_one_before_has_finished(
    exercise, clock, block_raises, close_fails
):
    servers = FakeServers(close_fails=close_fails)
    with pytest.raises((RuntimeError, OSError)) if block_raises or close_fails else nullcontext():
        async with exercise.open_all(["a", "b", "a", "c"], servers):
            await asyncio.sleep(1.13)
            if block_raises:
                raise RuntimeError("query failed")
    assert servers.closes() == ["c#4", "a#3", "b#2", "a#1"], (
        f"After the block, open_all closed {servers.closes()}; expected "
        "['c#4', 'a#3', 'b#2', 'a#1']: every connection, the last opened first."
    )
    assert servers.overlaps == [], servers.explain_overlaps()
    # Four opens and four closes of 0.25 s each, one after another, around the block.
    assert clock.now == pytest.approx(3.13), (
        f"open_all over four servers with a 1.13 s block took {clock.now:g} s; expected "
        "3.13 s: four 0.25 s opens, the block, then four 0.25 s closes one after another."
    )


async def test_open_all_with_no_servers_gives_an_empty_list(exercise, clock):
    servers = FakeServers()
    async with exercise.open_all([], servers) as conns:
        pass
    assert (conns, servers.events, clock.now) == ([], [], 0), (
        f"open_all([]) gave {conns!r}, made the calls {servers.events} and took "
        f"{clock.now:g} s; expected [], no calls, no time."
    )


async def test_a_failed_open_closes_those_already_open_and_tries_no_more(exercise, clock):
    servers = FakeServers(refuse="bad")
    ran = False

    async def use() -> None:
        nonlocal ran
        async with exercise.open_all(["a", "b", "bad", "d"], servers):
            ran = True

    with pytest.raises(ConnectionRefusedError) as raised:
        await use()
    assert (raised.value is servers.raised, ran) == (True, False), (
        f"connect('bad') raised {servers.raised!r}; open_all "
        f"{'ran the block' if ran else 'did not run the block'} and raised {raised.value!r}. "
        "Expected that same error, without running the block."
    )
    # Which servers were tried first: trying those after 'bad' also changes what is closed.
    assert servers.tried == ["a", "b", "bad"], (
        f"open_all was given ['a', 'b', 'bad', 'd'] and tried the servers {servers.tried}; "
        "expected to stop at 'bad': once an open fails, open_all has failed, so let the "
        "error out at once, without opening the rest."
    )
    assert (servers.closes(), servers.open) == (["b#2", "a#1"], []), (
        f"After connect('bad') failed, open_all closed {servers.closes()} and left "
        f"{servers.open} open; expected ['b#2', 'a#1'] closed, in that order. Enter each "
        "connection on an AsyncExitStack as soon as it is open: the stack then closes "
        "those it has if a later open fails."
    )


async def test_an_error_in_the_block_closes_everything_and_comes_out(exercise, clock):
    servers = FakeServers()
    error = RuntimeError("query failed")

    async def use() -> None:
        async with exercise.open_all(["a", "b", "c"], servers):
            await asyncio.sleep(2.5)
            raise error

    with pytest.raises(RuntimeError) as raised:
        await use()
    assert raised.value is error, f"The block raised {error!r}; out came {raised.value!r}."
    assert servers.closes() == ["c#3", "b#2", "a#1"], (
        f"The block raised RuntimeError and open_all closed {servers.closes()}; expected "
        "['c#3', 'b#2', 'a#1']."
    )


async def test_a_failing_close_still_closes_the_others_and_its_error_comes_out(exercise, clock):
    servers = FakeServers(close_fails="b")
    with pytest.raises(OSError, match="closing b#2 failed"):
        async with exercise.open_all(["a", "b", "c"], servers):
            pass
    assert servers.closes() == ["c#3", "b#2", "a#1"], (
        f"Closing b#2 raised OSError; open_all closed {servers.closes()} in all. Expected "
        "['c#3', 'b#2', 'a#1']: one failed close must not leave the others open. An "
        "AsyncExitStack goes on exiting the rest and raises the error afterwards."
    )


async def test_cancelled_at_any_point_nothing_is_left_open(exercise, clock):
    async def scenario(start) -> FakeServers:
        servers = FakeServers()

        async def use() -> None:
            async with exercise.open_all(["a", "b", "c"], servers):
                await asyncio.sleep(1.3)

        await asyncio.wait([start(use())], timeout=10)
        return servers

    for run in await cancel_at_each_suspension(scenario):
        assert run.ended_cancelled, (
            f"A task using open_all was {run.describe()} and {run.ended}; expected it to end "
            "cancelled."
        )
        assert run.state.open == [], (
            f"A task using open_all was {run.describe()}; {run.state.open} stayed open. "
            "Every connection opened must be closed, and the close awaited to its end "
            "before the task ends, whether the cancellation comes while opening, in the "
            "block or while closing."
        )
