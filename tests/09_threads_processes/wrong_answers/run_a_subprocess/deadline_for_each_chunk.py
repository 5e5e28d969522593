"""Wrong: gives each read of the output its own deadline, so steady output never times out."""

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
    text = ""
    try:
        while True:
            # a program silent for `seconds` is taken as hung
            chunk = await asyncio.wait_for(process.stdout.read(65536), seconds)
            if not chunk:
                break
            text += chunk.decode()
        await feeder
        returncode = await asyncio.wait_for(process.wait(), seconds)
    finally:
        if process.returncode is None:
            feeder.cancel()
            process.kill()
            await process.wait()
    return returncode, text
