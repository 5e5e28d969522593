"""Run a script's steps on one event loop, and keep the loop's complaints.

`run_steps(steps, loop_factory)` is called from ordinary code, with no event loop
running. It runs `steps` in order, all on ONE event loop made by `loop_factory()`, and
returns a `Report`:

- A step is either a coroutine, which runs on the loop until it is done, or a plain
  function taking no arguments, which is simply called. `results` holds what each step
  returned, in order.
- Tasks that a step starts and leaves running carry on during the later steps, which
  share their loop. `still_running` lists the names of the tasks still running after
  the last step, sorted. Closing the loop then cancels them.
- Errors that no caller can catch, such as an exception in a callback the loop runs, go
  to the loop's exception handler, which by default logs them. Install a handler that
  appends each error (`context["exception"]`) to `complaints` instead, in order.
- If a step raises, the loop is closed and `run_steps` raises that same error; the
  later steps do not run.

asyncio.Runner runs several coroutines one after another on one loop of its own.
Today every step gets a new loop, so background tasks die with their step.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Report:
    """What the steps returned, the tasks left running, and the loop's complaints."""

    results: list[Any] = field(default_factory=list)
    still_running: list[str] = field(default_factory=list)
    complaints: list[BaseException] = field(default_factory=list)


def run_steps(steps: list[Any], loop_factory: Callable[[], asyncio.AbstractEventLoop]) -> Report:
    """Run every step on one loop from `loop_factory`; report what happened."""
    report = Report()
    # TODO: one asyncio.Runner(loop_factory=...) for every step, an exception handler on
    # its loop, and the names of the tasks left running before it closes.
    for step in steps:
        if asyncio.iscoroutine(step):
            loop = loop_factory()
            try:
                report.results.append(loop.run_until_complete(step))
            finally:
                loop.close()
        else:
            report.results.append(step())
    return report
