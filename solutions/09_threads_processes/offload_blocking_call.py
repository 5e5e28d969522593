"""Keep a blocking library off the event loop.

`client` comes from an old weather library that knows nothing of asyncio:
`client.forecast(city)` blocks the thread that calls it until the weather service
answers. Called from a coroutine, it blocks the event loop's thread, and every other
task freezes until it returns. Run the calls in worker threads instead:

- `forecast(client, city)` returns `client.forecast(city)`, run in asyncio's default
  thread pool (asyncio.to_thread).
- `forecasts(client, cities, executor)` returns the forecasts for `cities`, in the
  order of `cities`, with every call running at the same time on `executor`
  (loop.run_in_executor).

If a call raises, the function raises that same error.
"""

import asyncio
from concurrent.futures import Executor
from typing import Protocol


class WeatherClient(Protocol):
    """The blocking library's client."""

    def forecast(self, city: str) -> str:
        """Block until the service answers, then return the forecast for `city`."""
        ...


async def forecast(client: WeatherClient, city: str) -> str:
    """The forecast for `city`, fetched in a worker thread."""
    # to_thread hands the function and its argument to a thread; the call happens there.
    return await asyncio.to_thread(client.forecast, city)


async def forecasts(client: WeatherClient, cities: list[str], executor: Executor) -> list[str]:
    """The forecasts for `cities`, fetched at the same time on `executor`."""
    # Every job is submitted before the first await; gather keeps the order of `cities`.
    loop = asyncio.get_running_loop()
    jobs = [loop.run_in_executor(executor, client.forecast, city) for city in cities]
    return list(await asyncio.gather(*jobs))
