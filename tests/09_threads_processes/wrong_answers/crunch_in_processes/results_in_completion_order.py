"""Wrong: hands back the fingerprints in the order the jobs finish (asyncio.as_completed)."""

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
    return [await job for job in asyncio.as_completed(jobs)]
