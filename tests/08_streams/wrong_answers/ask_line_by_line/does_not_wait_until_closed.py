"""Wrong: closes the connection but returns without waiting until it is closed."""

import asyncio


async def ask(host, port, questions):
    reader, writer = await asyncio.open_connection(host, port)
    answers = []
    try:
        for question in questions:
            writer.write(question.encode() + b"\n")
            await writer.drain()
            answer = await reader.readline()
            if not answer.endswith(b"\n"):
                raise ConnectionError(f"the server hung up before answering {question!r}")
            answers.append(answer.decode().removesuffix("\n"))
    finally:
        writer.close()
    return answers
