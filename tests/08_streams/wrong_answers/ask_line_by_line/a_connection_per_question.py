"""Wrong: opens a fresh connection for every question instead of one for them all."""

import asyncio


async def ask(host: str, port: int, questions: list[str]) -> list[str]:
    """Ask each question in turn on one connection and return the answers in order."""
    answers: list[str] = []
    for question in questions:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(question.encode() + b"\n")
            await writer.drain()
            answer = await reader.readline()
            if not answer.endswith(b"\n"):
                raise ConnectionError(f"the server hung up before answering {question!r}")
            answers.append(answer.decode().removesuffix("\n"))
        finally:
            writer.close()
            await writer.wait_closed()
    return answers
