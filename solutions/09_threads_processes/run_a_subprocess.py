"""Run a program, and stop it if it takes too long.

`run(args, input_text, seconds)` runs the program `args` (a list such as
`[sys.executable, "-c", "print('hi')"]`) as a subprocess, sends it `input_text` on its
standard input, and returns `(returncode, output)`: its exit code and everything it wrote
to its standard output, decoded from UTF-8. The input and the output may both be large.

If the program has not finished within `seconds`, kill it, wait until it has ended, and
raise TimeoutError. If `run` itself is cancelled, kill the program the same way.

Today `run` writes all the input, waits for the program to exit, and only then reads what
it wrote. A program that writes more than its output pipe holds (often 64 KiB) stops
until someone reads, so the two wait for each other for ever; and a program that hangs
is never stopped.
"""

import asyncio


async def run(args: list[str], input_text: str, seconds: float) -> tuple[int, str]:
    """Run `args` with `input_text` as its input; its exit code and output, or TimeoutError."""
    process = await asyncio.create_subprocess_exec(
        *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    # communicate feeds the input and reads the output together, so neither side can fill
    # a pipe and wait for the other; a program still running after it is stopped for good.
    try:
        output, _ = await asyncio.wait_for(process.communicate(input_text.encode()), seconds)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    returncode = await process.wait()
    return returncode, output.decode()
