"""Wrong: runs the pool right, but edits the given fingerprint to hash 1 000 rounds."""

import asyncio
import hashlib
from concurrent.futures import Executor

ROUNDS = 1_000


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
    return list(await asyncio.gather(*jobs))
