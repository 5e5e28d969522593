"""React when a future is done.

A build dashboard shows one line per job as soon as the job finishes.
`track(name, job, report)` must return at once, without waiting, and arrange for
`report` to be called with exactly one line at the moment `job` (a future or a task)
finishes, however it finishes:

- it produced a result:  "build done: 42"   (the result as str() shows it)
- it raised:             "build failed: ValueError('disk full')"   (the error's repr)
- it was cancelled:      "build cancelled"

A job that has already finished when `track` is called is reported too, straight away.

`job.add_done_callback(fn)` makes the event loop call `fn(job)` once the job is done.
Careful: `job.result()` raises if the job failed or was cancelled, so ask how it
finished first.
"""

import asyncio
from collections.abc import Callable
from typing import Any


def track(name: str, job: asyncio.Future[Any], report: Callable[[str], None]) -> None:
    """Call `report` with one line describing how `job` finished, as soon as it does."""
    # TODO: register a done callback that looks at how the job finished.
    raise NotImplementedError
