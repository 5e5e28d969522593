"""Wrong: wraps each plain function in a coroutine, so it is called with the loop running."""

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

        async def called(function: Callable[[], Any]) -> Any:
            return function()

        for step in steps:
            # Everything through the runner, so every step sees the same loop.
            report.results.append(runner.run(step if asyncio.iscoroutine(step) else called(step)))
        report.still_running = sorted(task.get_name() for task in asyncio.all_tasks(loop))
    return report
