"""Talk to a server that answers line by line.

A quote server speaks a line protocol over TCP: you send a question ending in a newline,
and it answers with one line, also ending in a newline. It may take a while to answer, and
a long answer can reach you in several pieces.

`ask(host, port, questions)` opens one connection, asks the questions one after another,
and returns the answers in order, each without its newline. When every question has been
answered it closes the connection and waits until it is closed. If the server hangs up
before it has answered a question, raise ConnectionError.

Today `ask` takes whatever bytes have arrived as the answer: an answer that comes in pieces
comes back cut short, and a hang-up comes back as an empty answer.
"""

import asyncio


async def ask(host: str, port: int, questions: list[str]) -> list[str]:
    """Ask each question in turn on one connection and return the answers in order."""
    reader, writer = await asyncio.open_connection(host, port)
    answers: list[str] = []
    try:
        for question in questions:
            writer.write(question.encode() + b"\n")
            await writer.drain()
            # TODO: wait for the whole line of each answer, and notice when the server hangs up.
            answer = await reader.read(1024)
            answers.append(answer.decode().removesuffix("\n"))
    finally:
        writer.close()
        await writer.wait_closed()
    return answers
