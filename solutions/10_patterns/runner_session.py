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
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        loop = runner.get_loop()

        def complain(_: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
            if "exception" in context:  # some reports carry only a message
                report.complaints.append(context["exception"])

        loop.set_exception_handler(complain)
        for step in steps:
            # Runner.run keeps the loop open between steps; a plain function needs no loop.
            report.results.append(runner.run(step) if asyncio.iscoroutine(step) else step())
        report.still_running = sorted(task.get_name() for task in asyncio.all_tasks(loop))
    return report
