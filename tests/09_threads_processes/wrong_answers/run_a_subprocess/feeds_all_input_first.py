"""Wrong: writes all the input before reading any output, so a chatty program gets stuck."""

import asyncio


async def run(args: list[str], input_text: str, seconds: float) -> tuple[int, str]:
    """Run `args` with `input_text` as its input; its exit code and output, or TimeoutError."""
    process = await asyncio.create_subprocess_exec(
        *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )

    async def talk() -> bytes:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(input_text.encode())
        await process.stdin.drain()
        process.stdin.close()
        return await process.stdout.read()

    try:
        output = await asyncio.wait_for(talk(), seconds)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return await process.wait(), output.decode()
