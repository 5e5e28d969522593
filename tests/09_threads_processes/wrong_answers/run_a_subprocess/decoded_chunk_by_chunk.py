"""Wrong: decodes each chunk of output apart, so a letter cut between two chunks fails."""

import asyncio


async def run(args: list[str], input_text: str, seconds: float) -> tuple[int, str]:
    """Run `args` with `input_text` as its input; its exit code and output, or TimeoutError."""
    process = await asyncio.create_subprocess_exec(
        *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdin is not None
    assert process.stdout is not None

    async def feed() -> None:
        try:
            process.stdin.write(input_text.encode())
            await process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass
        process.stdin.close()

    async def collect() -> str:
        text = ""
        while chunk := await process.stdout.read(65536):
            text += chunk.decode()
        return text

    try:
        async with asyncio.timeout(seconds):
            _, text = await asyncio.gather(feed(), collect())
            returncode = await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return returncode, text
