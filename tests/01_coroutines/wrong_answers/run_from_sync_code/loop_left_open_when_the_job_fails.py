"""Wrong: closes the loop only when the job succeeds; a failing job leaves it open.

The close() line is skipped when run_until_complete raises; it belongs in a `finally:`.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine `job` to completion on a new event loop and return its result."""
    loop = asyncio.new_event_loop()
    result = loop.run_until_complete(job)
    loop.close()
    return result
