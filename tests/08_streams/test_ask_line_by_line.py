"""Tests for exercises/08_streams/ask_line_by_line.py."""

import asyncio
import socket
from contextlib import suppress

import pytest

from grader.inside.testing import task_outcome

# The gap between the two pieces of every answer.
PIECE_GAP = 0.25


class QuoteServer:
    """Answers a question with the question in capitals and "!", on a real socket.

    A question named in `replies` is answered with that text instead. Each answer comes
    `delays[question]` seconds after the question (1 s for any other question), sent in two
    pieces PIECE_GAP apart and cut after `cut` bytes (half way by default). A question named
    in `hang_up_on` gets the first piece only, then a hang-up. The server records when each
    question reached it and when each answer was complete, when each client closed its
    connection, and can tell whether a client's end of the connection is closed by now.
    """

    def __init__(
        self,
        delays: dict[str, float] | None = None,
        hang_up_on: str = "",
        replies: dict[str, str] | None = None,
    ) -> None:
        self.delays = delays or {}
        self.replies = replies or {}
        self.hang_up_on = hang_up_on
        self.cut: int | None = None
        self.connections = 0
        self.client_hung_up_at: list[float] = []
        self.asked_at: list[tuple[str, float]] = []
        self.answered_at: list[tuple[str, float]] = []
        self._sockets: list[socket.socket] = []
        self._everyone_gone = asyncio.Event()
        self._handlers: list[asyncio.Task[None]] = []
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> "QuoteServer":
        self._server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        await asyncio.gather(*self._handlers)

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.sockets[0].getsockname()[1]

    async def every_client_gone(self, within: float = 1) -> list[float]:
        """When each client closed its connection, waiting up to `within` s for the last one."""
        with suppress(TimeoutError):
            await asyncio.wait_for(self._everyone_gone.wait(), within)
        return list(self.client_hung_up_at)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._everyone_gone.clear()
        self._writers.append(writer)
        self._sockets.append(writer.get_extra_info("socket"))
        if (handler := asyncio.current_task()) is not None:
            self._handlers.append(handler)
        questions: asyncio.Queue[str] = asyncio.Queue()
        answering = asyncio.create_task(self.answer(questions, writer))
        try:
            while line := await reader.readline():
                question = line.decode().removesuffix("\n")
                self.asked_at.append((question, asyncio.get_running_loop().time()))
                questions.put_nowait(question)
            if not writer.is_closing():  # the client hung up, not this server
                self.client_hung_up_at.append(asyncio.get_running_loop().time())
                if len(self.client_hung_up_at) == self.connections:
                    self._everyone_gone.set()
        except ConnectionError:
            pass
        finally:
            answering.cancel()
            writer.close()

    async def answer(self, questions: asyncio.Queue[str], writer: asyncio.StreamWriter) -> None:
        while True:
            question = await questions.get()
            await asyncio.sleep(self.delays.get(question, 1))
            answer = (self.replies.get(question, f"{question.upper()}!") + "\n").encode()
            cut = self.cut or len(answer) // 2
            writer.write(answer[:cut])
            if question == self.hang_up_on:
                writer.close()
                return
            await asyncio.sleep(PIECE_GAP)
            writer.write(answer[cut:])
            self.answered_at.append((question, asyncio.get_running_loop().time()))

    def clients_still_connected(self) -> int:
        """How many clients have not closed their end of the connection, by the kernel's word.

        The server's own asyncio transport may not have read the hang-up yet, so this peeks
        at the socket itself: a closed peer reads as the end of the stream.
        """
        connected = 0
        for server_side in self._sockets:
            if server_side.fileno() == -1:
                continue  # this server has closed it, after the client hung up
            with socket.fromfd(server_side.fileno(), server_side.family, server_side.type) as peek:
                peek.setblocking(False)
                try:
                    if peek.recv(1, socket.MSG_PEEK):
                        connected += 1  # bytes not yet read: the client sent more
                except BlockingIOError:
                    connected += 1
                except ConnectionError:
                    pass
        return connected


async def test_each_question_gets_its_whole_answer_in_order(exercise, clock):
    async with QuoteServer({"why": 1.3, "how": 0.25}) as server:
        answers = await exercise.ask("127.0.0.1", server.port, ["why", "how", "why"])
    assert answers == ["WHY!", "HOW!", "WHY!"], (
        f"ask(['why', 'how', 'why']) returned {answers!r}; expected ['WHY!', 'HOW!', 'WHY!']. "
        "Each answer is one line, and it may arrive in several pieces: read up to the "
        "newline (reader.readline()), not whatever bytes happen to be there."
    )
    # Each answer is complete PIECE_GAP after its delay: 1.3 + 0.25, 0.25 + 0.25, 1.3 + 0.25.
    assert clock.now == 3.6, (
        f"ask returned at t={clock.now:g} s; the last answer was complete at t=3.6 s."
    )


@pytest.mark.parametrize(
    ("questions", "delays"),
    [
        (["why", "how", "why"], {"why": 1.3, "how": 0.25}),
        (["a", "b", "c", "d"], {"a": 2.41, "b": 0.25, "c": 1.13, "d": 0.25}),
        (["same", "same"], {"same": 0.25}),
    ],
    ids=["a slow then a quick answer", "four questions", "one question twice"],
)
async def test_each_question_is_sent_only_once_the_one_before_is_answered(
    exercise, clock, questions, delays
):
    async with QuoteServer(delays) as server:
        await exercise.ask("127.0.0.1", server.port, questions)
    asked, answered = server.asked_at, server.answered_at
    early = [
        f"{question!r} reached the server at t={at:g} s, before the answer to "
        f"{before!r} was complete at t={done:g} s"
        for (question, at), (before, done) in zip(asked[1:], answered, strict=False)
        if at < done
    ]
    assert not early, (
        f"ask({questions!r}) asked its questions too soon: {'; '.join(early)}. Ask them one "
        "after another: write a question, read its whole answer, then write the next."
    )


async def test_an_answer_that_takes_minutes_is_waited_for(exercise, clock):
    # Longer than any time limit a client might guess at: the task sets none.
    async with QuoteServer({"ponder": 612.5}) as server:
        try:
            answers = await exercise.ask("127.0.0.1", server.port, ["ponder", "quick"])
        except TimeoutError:
            answers = None
    assert answers == ["PONDER!", "QUICK!"], (
        f"The answer to 'ponder' took 612.5 s, and ask "
        f"{'gave up with TimeoutError' if answers is None else f'returned {answers!r}'} at "
        f"t={clock.now:g} s; expected ['PONDER!', 'QUICK!']. The server may take a while "
        "to answer, and the task sets no time limit: wait for the answer however long it "
        "takes (a caller who wants a limit can wrap ask in asyncio.timeout)."
    )


async def test_an_answer_comes_back_exactly_as_sent_but_its_newline(exercise):
    replies = {"pad": "  spaces around  ", "tab": "\tindented", "bare": "", "cr": "return\r"}
    async with QuoteServer(replies=replies) as server:
        answers = await exercise.ask("127.0.0.1", server.port, list(replies))
    assert answers == list(replies.values()), (
        f"The server answered {[reply + chr(10) for reply in replies.values()]!r}, and ask "
        f"returned {answers!r}; expected {list(replies.values())!r}: each answer without "
        "its newline, and nothing else taken off. str.strip() removes every space and tab "
        "at both ends as well, and rstrip('\\r\\n') a carriage return before the newline; "
        "removesuffix('\\n') removes only the newline."
    )


async def test_an_answer_is_read_whole_wherever_it_is_cut(exercise):
    async with QuoteServer() as server:
        answer = b"WHERE!\n"
        for cut in range(1, len(answer)):
            server.cut = cut
            answers = await exercise.ask("127.0.0.1", server.port, ["where"])
            assert answers == ["WHERE!"], (
                f"The answer {answer!r} came in two pieces, {answer[:cut]!r} and "
                f"{answer[cut:]!r}, {PIECE_GAP} s apart, and ask returned {answers!r}; "
                "expected ['WHERE!']. reader.readline() waits until the newline is there."
            )


async def test_all_questions_go_over_one_connection_closed_at_the_end(exercise, clock):
    async with QuoteServer({"a": 2.5, "b": 1.3}) as server:
        await exercise.ask("127.0.0.1", server.port, ["a", "b", "a", "b"])
        returned_at = clock.now
        still_connected = server.clients_still_connected()
        hung_up = await server.every_client_gone()
    assert server.connections == 1, (
        f"Four questions opened {server.connections} connections; expected one, kept open "
        "until the last answer."
    )
    assert hung_up == [returned_at], (
        f"ask returned at t={returned_at:g} s, and the server saw the connection closed at "
        f"{hung_up or 'no time at all'}; expected at t={returned_at:g} s. "
        "Close the connection when you are done: writer.close(), then "
        "`await writer.wait_closed()`."
    )
    assert still_connected == 0, (
        "When ask returned, its end of the connection was not closed yet: the server's "
        "socket saw no hang-up. writer.close() only starts closing; "
        "`await writer.wait_closed()` waits until the connection is closed."
    )


async def test_no_questions_means_no_answers(exercise):
    async with QuoteServer() as server:
        answers = await exercise.ask("127.0.0.1", server.port, [])
        hung_up = await server.every_client_gone()
    assert answers == [], f"ask with no questions returned {answers!r}; expected []."
    assert len(hung_up) == server.connections, (
        "With no questions, ask left its connection open; close every connection you open."
    )


@pytest.mark.parametrize("hang_up_on", ["first", "third"])
async def test_a_server_that_hangs_up_before_answering_raises_connection_error(
    exercise, hang_up_on
):
    async with QuoteServer(hang_up_on=hang_up_on) as server:
        questions = ["first", "second", "third"]
        try:
            answers = await exercise.ask("127.0.0.1", server.port, questions)
        except ConnectionError:
            return
    pytest.fail(
        f"The server hung up half way through its answer to {hang_up_on!r}, and ask "
        f"returned {answers!r}; expected ConnectionError. An answer without its newline is "
        "no answer: readline() returns what it has (maybe b'') when the server hangs up."
    )


async def test_cancelling_ask_hangs_up_on_the_server(exercise, clock):
    async with QuoteServer({"slow": 10}) as server:
        task = asyncio.create_task(exercise.ask("127.0.0.1", server.port, ["slow"]))
        await asyncio.sleep(1.3)
        task.cancel()
        await asyncio.wait({task})
        hung_up = await server.every_client_gone()
    assert task.cancelled(), (
        f"ask was cancelled while it waited for an answer, and it {task_outcome(task)}; "
        "expected it to end cancelled."
    )
    assert hung_up == [1.3], (
        f"ask was cancelled at t=1.3 s, and the server saw the connection closed at "
        f"{hung_up or 'no time at all'}; expected at t=1.3 s. Close the connection in a "
        "`finally`, so that it is closed however ask ends."
    )
