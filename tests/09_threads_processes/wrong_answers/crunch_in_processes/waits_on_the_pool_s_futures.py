"""Wrong: submits every job, then blocks the loop's thread on each result()."""

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
    jobs = [pool.submit(fingerprint, blob) for blob in blobs]
    await asyncio.sleep(0)
    return [job.result() for job in jobs]
