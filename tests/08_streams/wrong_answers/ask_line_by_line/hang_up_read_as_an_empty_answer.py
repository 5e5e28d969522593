"""Wrong: reads whole lines, but takes whatever readline returns after a hang-up as an answer."""

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
            answers.append(answer.decode().removesuffix("\n"))
    finally:
        writer.close()
        await writer.wait_closed()
    return answers
