"""Wrong: rolls back, then raises the error again `from None`, hiding the error behind it."""


class Transaction:
    def __init__(self, db):
        self._db = db

    async def __aenter__(self):
        await self._db.begin()
        return self

    async def __aexit__(self, exc_type, exc, traceback):
        if exc_type is None:
            await self._db.commit()
            return False
        await self._db.rollback()
        raise exc from None
