"""Do CPU-heavy work in other processes.

`fingerprint(data)` below is given (leave it as it is), and pure computation: it hashes
its input over and over, which keeps a CPU core busy without ever waiting. On the event
loop's thread it freezes every other task; in a thread pool it is not much better,
because Python runs the bytecode of only one thread at a time. A process pool runs each
job in a separate Python process, on a core of its own.

`fingerprints(blobs, pool)` returns `fingerprint(blob)` for each of `blobs`, in the
order of `blobs`, with every job running at the same time on `pool`, a
concurrent.futures.ProcessPoolExecutor (use loop.run_in_executor). A job reaches the
other process by pickling: hand over the module-level function `fingerprint` and its
argument; a lambda or a function defined inside another cannot be pickled. If a job
raises, `fingerprints` raises that error.
"""

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
    # TODO: run every fingerprint(blob) on the process pool, all at once, then gather them.
    return [fingerprint(blob) for blob in blobs]
