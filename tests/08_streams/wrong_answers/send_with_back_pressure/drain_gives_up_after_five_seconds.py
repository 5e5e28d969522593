"""Wrong: gives up on each drain after 5 s and writes on, piling up for a stalled peer."""

import asyncio


async def send_all(writer, chunks):
    for chunk in chunks:
        writer.write(chunk)
        try:
            await asyncio.wait_for(writer.drain(), 5)
        except TimeoutError:
            continue
