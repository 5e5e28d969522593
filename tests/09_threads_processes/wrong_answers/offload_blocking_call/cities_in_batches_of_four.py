"""Wrong: sends the cities four at a time, waiting for each batch before the next."""

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
    results: list[str] = []
    for start in range(0, len(cities), 4):  # a few at a time, not to flood the service
        batch = [
            loop.run_in_executor(executor, client.forecast, c) for c in cities[start : start + 4]
        ]
        results += await asyncio.gather(*batch)
    return results
