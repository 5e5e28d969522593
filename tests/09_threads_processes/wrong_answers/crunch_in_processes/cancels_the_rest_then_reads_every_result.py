"""Wrong: on the first error, cancels the jobs still running, then reads every result."""

import asyncio
import hashlib
from concurrent.futures import Executor

ROUNDS = 10_000


def fingerprint(data: bytes) -> str:
    """Hash `data` ROUNDS times over; refuses empty data."""
    if not data:
        raise ValueError("nothing to fingerprint")
    digest = data
    for _ in range(ROUNDS):
        digest = hashlib.sha256(digest).digest()
    return digest.hex()


async def fingerprints(blobs: list[bytes], pool: Executor) -> list[str]:
    """The fingerprint of each blob, computed at the same time in `pool`'s processes."""
    loop = asyncio.get_running_loop()
    jobs = [loop.run_in_executor(pool, fingerprint, blob) for blob in blobs]
    if not jobs:
        return []
    _, pending = await asyncio.wait(jobs, return_when=asyncio.FIRST_EXCEPTION)
    for job in pending:
        job.cancel()
    return [job.result() for job in jobs]
