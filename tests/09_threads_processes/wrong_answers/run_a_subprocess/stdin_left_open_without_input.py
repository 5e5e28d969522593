"""Wrong: writes and closes the program's standard input only when there is input to send."""

import asyncio


async def run(args: list[str], input_text: str, seconds: float) -> tuple[int, str]:
    """Run `args` with `input_text` as its input; its exit code and output, or TimeoutError."""
    process = await asyncio.create_subprocess_exec(
        *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdin is not None
    assert process.stdout is not None

    async def feed() -> None:
        if not input_text:
            return  # nothing to send
        try:
            process.stdin.write(input_text.encode())
            await process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass
        process.stdin.close()

    try:
        async with asyncio.timeout(seconds):
            _, output = await asyncio.gather(feed(), process.stdout.read())
            returncode = await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return returncode, output.decode()
