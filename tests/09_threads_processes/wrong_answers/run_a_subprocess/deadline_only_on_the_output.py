"""Wrong: puts the deadline on reading the output only, not on waiting for the exit."""

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

    feeder = asyncio.create_task(feed())
    try:
        # the output is done once the program closes it
        output = await asyncio.wait_for(process.stdout.read(), seconds)
    except BaseException:
        feeder.cancel()
        process.kill()
        await process.wait()
        raise
    await feeder
    returncode = await process.wait()
    return returncode, output.decode()
