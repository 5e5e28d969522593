"""Wrong: gives up on an answer after 30 s, though the server may take a while to answer."""

import asyncio


async def ask(host: str, port: int, questions: list[str]) -> list[str]:
    """Ask each question in turn on one connection and return the answers in order."""
    reader, writer = await asyncio.open_connection(host, port)
    answers: list[str] = []
    try:
        for question in questions:
            writer.write(question.encode() + b"\n")
            await writer.drain()
            answer = await asyncio.wait_for(reader.readline(), 30)
            if not answer.endswith(b"\n"):
                raise ConnectionError(f"the server hung up before answering {question!r}")
            answers.append(answer.decode().removesuffix("\n"))
    finally:
        writer.close()
        await writer.wait_closed()
    return answers
