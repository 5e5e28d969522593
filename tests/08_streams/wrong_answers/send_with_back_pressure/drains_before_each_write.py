"""Wrong: drains before each write, not after, so the last write is never drained."""


async def send_all(writer, chunks):
    for chunk in chunks:
        await writer.drain()
        writer.write(chunk)
