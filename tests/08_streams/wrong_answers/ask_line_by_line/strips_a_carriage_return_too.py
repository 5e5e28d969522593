"""Wrong: takes off a carriage return with the newline (rstrip), out of a CRLF habit."""

import asyncio


async def ask(host: str, port: int, questions: list[str]) -> list[str]:
    """Ask each question in turn on one connection and return the answers in order."""
    reader, writer = await asyncio.open_connection(host, port)
    answers: list[str] = []
    try:
        for question in questions:
            writer.write(question.encode() + b"\n")
            await writer.drain()
            answer = await reader.readline()
            if not answer.endswith(b"\n"):
                raise ConnectionError(f"the server hung up before answering {question!r}")
            answers.append(answer.decode().rstrip("\r\n"))
    finally:
        writer.close()
        await writer.wait_closed()
    return answers
