"""Wrong: a cancelled forecast shields its thread and waits for it to finish."""

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
    job = asyncio.ensure_future(asyncio.to_thread(client.forecast, city))
    try:
        return await asyncio.shield(job)
    except asyncio.CancelledError:
        await job
        raise


async def forecasts(client: WeatherClient, cities: list[str], executor: Executor) -> list[str]:
    """The forecasts for `cities`, fetched at the same time on `executor`."""
    loop = asyncio.get_running_loop()
    jobs = [loop.run_in_executor(executor, client.forecast, city) for city in cities]
    return list(await asyncio.gather(*jobs))
