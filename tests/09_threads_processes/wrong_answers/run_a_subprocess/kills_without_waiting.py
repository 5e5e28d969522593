"""Wrong: kills the program when it gives up, but returns before the program has ended."""

import asyncio


async def run(args: list[str], input_text: str, seconds: float) -> tuple[int, str]:
    """Run `args` with `input_text` as its input; its exit code and output, or TimeoutError."""
    process = await asyncio.create_subprocess_exec(
        *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(input_text.encode()), seconds)
    except BaseException:
        process.kill()
        raise
    return await process.wait(), output.decode()
