"""Wrong: stops the program with terminate() (SIGTERM), which a hung program may ignore."""

import asyncio


async def run(args: list[str], input_text: str, seconds: float) -> tuple[int, str]:
    """Run `args` with `input_text` as its input; its exit code and output, or TimeoutError."""
    process = await asyncio.create_subprocess_exec(
        *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(input_text.encode()), seconds)
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
    return await process.wait(), output.decode()
