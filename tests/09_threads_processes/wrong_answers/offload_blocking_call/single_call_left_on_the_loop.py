"""Wrong: forecasts uses the executor, but forecast still calls the library on the loop."""

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
    return client.forecast(city)


async def forecasts(client: WeatherClient, cities: list[str], executor: Executor) -> list[str]:
    """The forecasts for `cities`, fetched at the same time on `executor`."""
    loop = asyncio.get_running_loop()
    jobs = [loop.run_in_executor(executor, client.forecast, city) for city in cities]
    return list(await asyncio.gather(*jobs))
