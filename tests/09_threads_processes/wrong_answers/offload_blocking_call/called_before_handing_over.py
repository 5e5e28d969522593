"""Wrong: calls client.forecast(city) on the loop and hands its answer to the thread pool."""

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
    return await asyncio.to_thread(lambda answer: answer, client.forecast(city))


async def forecasts(client: WeatherClient, cities: list[str], executor: Executor) -> list[str]:
    """The forecasts for `cities`, fetched at the same time on `executor`."""
    loop = asyncio.get_running_loop()
    answers = [client.forecast(city) for city in cities]
    jobs = [loop.run_in_executor(executor, str, answer) for answer in answers]
    return list(await asyncio.gather(*jobs))
