"""The grader of the asyncio exercise kit: pytest plugin, manifest, reports and checks."""
