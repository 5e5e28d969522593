"""Wrong: writes every question at once, then reads the answers."""

import asyncio


async def ask(host, port, questions):
    reader, writer = await asyncio.open_connection(host, port)
    answers = []
    try:
        writer.write(b"".join(q.encode() + b"\n" for q in questions))
        await writer.drain()
        for question in questions:
            answer = await reader.readline()
            if not answer.endswith(b"\n"):
                raise ConnectionError(f"the server hung up before answering {question!r}")
            answers.append(answer.decode().removesuffix("\n"))
    finally:
        writer.close()
        await writer.wait_closed()
    return answers
