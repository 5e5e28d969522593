"""Start the event loop from ordinary code.

A command-line tool's entry point is an ordinary function, but the work it does is
a coroutine, and a coroutine only runs on an event loop. `run_job(job)` is called
from plain, synchronous code with no event loop running. It must start an event
loop, run the coroutine `job` on it to the end, and return the coroutine's result.
Each call gets a new event loop of its own, which is closed again before `run_job`
returns. If `job` raises, `run_job` must raise that same error.
"""

from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_job(job: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine `job` to completion on a new event loop and return its result."""
    # TODO: start an event loop, run `job` on it until it finishes, then close the loop.
    raise NotImplementedError
