"""Retry with exponential backoff.

`retry_with_backoff(operation, attempts)` awaits `operation()` and returns its result. The
service behind it is flaky: when an attempt raises ConnectionError or TimeoutError (or a
subclass of either), wait and try again, up to `attempts` attempts in all (`attempts` is at
least 1). Wait 1 second before the second attempt, 2 before the third, 4 before the fourth,
doubling each time. If the last attempt fails too, raise its error, without waiting again.

Only those two kinds of error are worth retrying: any other error is raised at once. And
cancellation is never retried: if the task running `retry_with_backoff` is cancelled, during
an attempt or while it waits between attempts, it stops there and ends cancelled.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def retry_with_backoff(operation: Callable[[], Awaitable[T]], attempts: int) -> T:
    """The result of `operation()`, retrying connection and timeout errors with backoff."""
    # TODO: try, and on a retryable error sleep 1, 2, 4... seconds before the next attempt.
    raise NotImplementedError
